import type { SandboxRequestContext } from '../context.js';
import { fulfillmentOrderVisible, hasScope } from './access.js';
import { type ConnectionArgs, paginateList } from './connection.js';
import { decimal, gid, isoTime } from './gid.js';
import type { CalculatedLine } from './merchant.js';
import type {
  Address,
  BulkOperationRecord,
  FulfillmentHoldRecord,
  FulfillmentOrderRecord,
  FulfillmentRecord,
  FulfillmentServiceRecord,
  InventoryItemRecord,
  InventoryLevelRecord,
  LineItemRecord,
  LocationRecord,
  OrderEditRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
  VariantRecord,
} from './model.js';
import { onHandOf } from './model.js';
import {
  currentQuantityOf,
  currentTotalOf,
  orderMoney,
  orderTotals,
  outstandingOf,
  type OrderTotals,
} from './money.js';
import { orderReturns } from './return-views.js';
import type { SandboxData } from './store.js';

/**
 * GraphQL-shaped views of the records. Fields that take arguments are methods
 * `(args, context) => value`, which graphql-js's default resolver calls; the bulk runner calls
 * them the same way. `requireBound` is false inside bulk operations (no `first` needed there).
 */
export interface ViewOptions {
  requireBound: boolean;
}

type Args = Record<string, unknown>;
type Obj = Record<string, unknown>;

const STRICT: ViewOptions = { requireBound: true };

function connArgs(args: Args): ConnectionArgs {
  return args as ConnectionArgs;
}

export function money(amountCents: number, currencyCode: string): Obj {
  return { __typename: 'MoneyV2', amount: decimal(amountCents), currencyCode };
}

export function moneyBag(cents: number, order: OrderRecord, shopCurrency: string): Obj {
  return {
    __typename: 'MoneyBag',
    shopMoney: money(cents, shopCurrency),
    presentmentMoney: money(Math.round(cents * order.presentmentRate), order.presentmentCurrency),
  };
}

export function addressView(a: Address | null, idSeed?: number): Obj | null {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(' ');
  return {
    __typename: 'MailingAddress',
    id: idSeed === undefined ? null : gid('MailingAddress', `${idSeed}?model_name=Address`),
    firstName: a.firstName || null,
    lastName: a.lastName || null,
    name: name || null,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country: a.country,
    countryCodeV2: a.countryCode,
    countryCode: a.countryCode,
    phone: a.phone,
    formatted: (_args: Args) =>
      [a.address1, a.address2, `${a.city} ${a.provinceCode ?? ''} ${a.zip}`.trim(), a.country].filter(
        Boolean,
      ),
  };
}

/** LocationAddress (Location.address) differs from MailingAddress. */
function locationAddressView(a: Address): Obj {
  return {
    __typename: 'LocationAddress',
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country: a.country,
    countryCode: a.countryCode,
    phone: a.phone,
    formatted: [
      a.address1,
      a.address2,
      `${a.city} ${a.provinceCode ?? ''} ${a.zip}`.trim(),
      a.country,
    ].filter(Boolean),
  };
}

export class Views {
  constructor(
    readonly data: SandboxData,
    readonly options: ViewOptions = STRICT,
  ) {}

  get shopCurrency(): string {
    return this.data.shop.currencyCode;
  }

  shop(): Obj {
    const s = this.data.shop;
    return {
      __typename: 'Shop',
      id: gid('Shop', s.id),
      name: s.name,
      myshopifyDomain: s.myshopifyDomain,
      email: s.email,
      contactEmail: s.email,
      currencyCode: s.currencyCode,
      ianaTimezone: s.ianaTimezone,
      timezoneAbbreviation: s.timezoneAbbreviation,
      createdAt: isoTime(s.createdAt),
      updatedAt: isoTime(s.createdAt),
      url: `https://${s.myshopifyDomain}`,
      primaryDomain: {
        __typename: 'Domain',
        host: s.myshopifyDomain,
        url: `https://${s.myshopifyDomain}`,
        sslEnabled: true,
      },
      plan: {
        __typename: 'ShopPlan',
        displayName: s.planDisplayName,
        shopifyPlus: s.shopifyPlus,
        partnerDevelopment: false,
      },
      enabledPresentmentCurrencies: ['USD', 'EUR', 'CAD'],
      fulfillmentServices: this.data.fulfillmentServices.map((f) => this.fulfillmentService(f)),
    };
  }

  fulfillmentService(f: FulfillmentServiceRecord): Obj {
    const location = f.locationId === null ? undefined : this.data.location(f.locationId);
    return {
      __typename: 'FulfillmentService',
      id: gid('FulfillmentService', `${f.id}?id=true`),
      handle: f.handle,
      serviceName: f.serviceName,
      callbackUrl: f.callbackUrl,
      inventoryManagement: f.inventoryManagement,
      trackingSupport: f.trackingSupport,
      permitsSkuSharing: f.permitsSkuSharing,
      fulfillmentOrdersOptIn: true,
      productBased: true,
      type: f.type,
      location: location ? this.location(location) : null,
    };
  }

  location(l: LocationRecord): Obj {
    const service = l.fulfillmentServiceHandle
      ? this.data.fulfillmentServices.find((f) => f.handle === l.fulfillmentServiceHandle)
      : undefined;
    return {
      __typename: 'Location',
      id: gid('Location', l.id),
      legacyResourceId: String(l.id),
      name: l.name,
      isActive: l.isActive,
      activatable: !l.isActive,
      deactivatable: l.isActive,
      deletable: !l.isActive,
      fulfillsOnlineOrders: l.fulfillsOnlineOrders,
      shipsInventory: l.shipsInventory,
      hasActiveInventory: [...this.data.levels.values()].some(
        (lv) => lv.locationId === l.id && lv.available > 0,
      ),
      hasUnfulfilledOrders: false,
      isFulfillmentService: service !== undefined,
      isPrimary: l.id === this.data.locations[0]?.id,
      deactivatedAt: l.isActive ? null : isoTime(l.createdAt + 200 * 86_400_000),
      createdAt: isoTime(l.createdAt),
      updatedAt: isoTime(l.createdAt),
      address: locationAddressView(l.address),
      fulfillmentService: service
        ? {
            __typename: 'FulfillmentService',
            id: gid('FulfillmentService', `${service.id}?id=true`),
            handle: service.handle,
            serviceName: service.serviceName,
            callbackUrl: service.callbackUrl,
            inventoryManagement: service.inventoryManagement,
            trackingSupport: service.trackingSupport,
            permitsSkuSharing: service.permitsSkuSharing,
            type: service.type,
            location: () => this.location(l),
          }
        : null,
      inventoryLevels: (args: Args) =>
        paginateList(
          this.data.locations.length === 0
            ? []
            : [...this.data.levels.values()].filter((lv) => lv.locationId === l.id),
          connArgs(args),
          (lv) => lv.id,
          (lv) => this.inventoryLevel(lv),
          this.options.requireBound,
        ),
      inventoryLevel: (args: Args) => {
        const itemId = Number(
          String(args.inventoryItemId ?? '')
            .split('/')
            .pop(),
        );
        const lv = this.data.level(itemId, l.id);
        return lv ? this.inventoryLevel(lv) : null;
      },
    };
  }

  product(p: ProductRecord): Obj {
    return {
      __typename: 'Product',
      id: gid('Product', p.id),
      legacyResourceId: String(p.id),
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.productType,
      isGiftCard: p.isGiftCard,
      status: 'ACTIVE',
      tags: [],
      createdAt: isoTime(p.createdAt),
      updatedAt: isoTime(p.updatedAt),
      variants: (args: Args) =>
        paginateList(
          p.variantIds
            .map((id) => this.data.variants.get(id))
            .filter((v): v is VariantRecord => v !== undefined),
          connArgs(args),
          (v) => v.id,
          (v) => this.variant(v),
          this.options.requireBound,
        ),
    };
  }

  variant(v: VariantRecord): Obj {
    const product = this.data.products.get(v.productId);
    const item = this.data.inventoryItems.get(v.inventoryItemId);
    return {
      __typename: 'ProductVariant',
      id: gid('ProductVariant', v.id),
      legacyResourceId: String(v.id),
      title: v.title,
      displayName: `${product?.title ?? ''} - ${v.title}`,
      sku: v.sku,
      barcode: v.barcode,
      price: decimal(v.price),
      selectedOptions:
        v.title === 'Default Title'
          ? [{ __typename: 'SelectedOption', name: 'Title', value: 'Default Title' }]
          : v.title.split(' / ').map((value, k) => ({
              __typename: 'SelectedOption',
              name: ['Option1', 'Option2', 'Option3'][k] ?? 'Option',
              value,
            })),
      inventoryQuantity: item
        ? this.data.levelsForItem(item.id).reduce((sum, lv) => sum + lv.available, 0)
        : 0,
      createdAt: isoTime(v.createdAt),
      updatedAt: isoTime(v.updatedAt),
      product: product ? () => this.product(product) : null,
      inventoryItem: item ? () => this.inventoryItem(item) : null,
      requiresShipping: item?.requiresShipping ?? true,
    };
  }

  inventoryItem(i: InventoryItemRecord): Obj {
    const variant = this.data.variants.get(i.variantId);
    return {
      __typename: 'InventoryItem',
      id: gid('InventoryItem', i.id),
      legacyResourceId: String(i.id),
      sku: i.sku,
      tracked: i.tracked,
      duplicateSkuCount:
        i.sku === null
          ? 0
          : [...this.data.inventoryItems.values()].filter((x) => x.sku === i.sku && x.id !== i.id).length,
      locationsCount: {
        __typename: 'Count',
        count: this.data.levelsForItem(i.id).length,
        precision: 'EXACT',
      },
      requiresShipping: i.requiresShipping,
      createdAt: isoTime(i.createdAt),
      updatedAt: isoTime(i.updatedAt),
      variant: variant ? () => this.variant(variant) : null,
      inventoryLevels: (args: Args) =>
        paginateList(
          this.data.levelsForItem(i.id),
          connArgs(args),
          (lv) => lv.id,
          (lv) => this.inventoryLevel(lv),
          this.options.requireBound,
        ),
      inventoryLevel: (args: Args) => {
        const locId = Number(
          String(args.locationId ?? '')
            .split('/')
            .pop(),
        );
        const lv = this.data.level(i.id, locId);
        return lv ? this.inventoryLevel(lv) : null;
      },
    };
  }

  inventoryLevel(lv: InventoryLevelRecord): Obj {
    const item = this.data.inventoryItems.get(lv.inventoryItemId);
    const location = this.data.location(lv.locationId);
    const values: Record<string, number> = {
      available: lv.available,
      committed: lv.committed,
      incoming: lv.incoming,
      reserved: lv.reserved,
      damaged: lv.damaged,
      on_hand: onHandOf(lv),
      quality_control: lv.qualityControl ?? 0,
      safety_stock: lv.safetyStock ?? 0,
    };
    return {
      __typename: 'InventoryLevel',
      id: gid('InventoryLevel', lv.id),
      createdAt: isoTime(lv.updatedAt),
      updatedAt: isoTime(lv.updatedAt),
      canDeactivate: true,
      item: item ? () => this.inventoryItem(item) : null,
      location: location ? () => this.location(location) : null,
      quantities: (args: Args) => {
        const names = Array.isArray(args.names) ? (args.names as string[]) : [];
        return names.map((name) => ({
          __typename: 'InventoryQuantity',
          id: gid('InventoryQuantity', `${lv.id}&name=${name}`),
          name,
          quantity: values[name] ?? 0,
          updatedAt: isoTime(lv.updatedAt),
        }));
      },
    };
  }

  customer(order: OrderRecord): Obj | null {
    const c = order.customer;
    if (!c) return null;
    return {
      __typename: 'Customer',
      id: gid('Customer', c.id),
      legacyResourceId: String(c.id),
      firstName: c.firstName,
      lastName: c.lastName,
      displayName: `${c.firstName} ${c.lastName}`,
      email: c.email,
      phone: c.phone,
      defaultAddress: addressView(c.address, c.id),
    };
  }

  lineItem(order: OrderRecord, li: LineItemRecord): Obj {
    return new LineItemView(this, order, li) as unknown as Obj;
  }

  taxLine(order: OrderRecord, cents: number): Obj {
    return {
      __typename: 'TaxLine',
      title:
        order.presentmentCurrency === 'EUR'
          ? 'MwSt'
          : order.presentmentCurrency === 'CAD'
            ? 'HST'
            : 'Sales Tax',
      rate: order.taxRate,
      ratePercentage: Math.round(order.taxRate * 10000) / 100,
      priceSet: moneyBag(cents, order, this.shopCurrency),
      channelLiable: false,
    };
  }

  orderTotals(order: OrderRecord): OrderTotals {
    return orderTotals(order);
  }

  order(order: OrderRecord): Obj {
    return new OrderView(this, order) as unknown as Obj;
  }

  fulfillmentOrder(fo: FulfillmentOrderRecord): Obj {
    const order = this.data.ordersById.get(fo.orderId);
    const location = this.data.location(fo.locationId);
    const service = this.data.fulfillmentServiceForLocation(fo.locationId);
    return {
      __typename: 'FulfillmentOrder',
      id: gid('FulfillmentOrder', fo.id),
      status: fo.status,
      requestStatus: fo.requestStatus,
      createdAt: isoTime(fo.createdAt),
      updatedAt: isoTime(fo.updatedAt),
      fulfillAt: fo.fulfillAt === null ? null : isoTime(fo.fulfillAt),
      fulfillBy: null,
      orderId: gid('Order', fo.orderId),
      orderName: order?.name ?? null,
      orderProcessedAt: order ? isoTime(order.processedAt) : null,
      order: order ? () => this.order(order) : null,
      channelId: null,
      assignedLocation: {
        __typename: 'FulfillmentOrderAssignedLocation',
        name: location?.name ?? null,
        address1: location?.address.address1 ?? null,
        address2: location?.address.address2 ?? null,
        city: location?.address.city ?? null,
        province: location?.address.province ?? null,
        zip: location?.address.zip ?? null,
        countryCode: location?.address.countryCode ?? 'US',
        phone: location?.address.phone ?? null,
        location: location ? () => this.location(location) : null,
      },
      destination: order?.shippingAddress
        ? {
            __typename: 'FulfillmentOrderDestination',
            id: gid('FulfillmentOrderDestination', fo.id),
            firstName: order.shippingAddress.firstName,
            lastName: order.shippingAddress.lastName,
            company: order.shippingAddress.company,
            address1: order.shippingAddress.address1,
            address2: order.shippingAddress.address2,
            city: order.shippingAddress.city,
            province: order.shippingAddress.province,
            zip: order.shippingAddress.zip,
            countryCode: order.shippingAddress.countryCode,
            phone: order.shippingAddress.phone,
            email: order.email,
          }
        : null,
      deliveryMethod: {
        __typename: 'DeliveryMethod',
        id: gid('DeliveryMethod', fo.id),
        methodType: order?.shippingLine ? 'SHIPPING' : 'NONE',
        serviceCode: order?.shippingLine?.code ?? null,
      },
      fulfillmentHolds: fo.holds.map((h, k) => this.fulfillmentHold(fo, h, k)),
      supportedActions: this.supportedActions(fo, service !== undefined),
      merchantRequests: (args: Args) =>
        paginateList(
          fo.merchantRequests ?? [],
          connArgs(args),
          (r) => r.id,
          (r) => ({
            __typename: 'FulfillmentOrderMerchantRequest',
            id: gid('FulfillmentOrderMerchantRequest', r.id),
            kind: r.kind,
            message: r.message,
            requestOptions: r.requestOptions,
            responseData: null,
            sentAt: isoTime(r.sentAt),
            fulfillmentOrder: () => this.fulfillmentOrder(fo),
          }),
          this.options.requireBound,
        ),
      lineItems: (args: Args) =>
        paginateList(
          fo.lineItems,
          connArgs(args),
          (l) => l.id,
          (l) => {
            const li = order ? this.data.lineItem(order, l.lineItemId) : undefined;
            const variant = li?.variantId == null ? undefined : this.data.variants.get(li.variantId);
            const item = variant ? this.data.inventoryItems.get(variant.inventoryItemId) : undefined;
            return {
              __typename: 'FulfillmentOrderLineItem',
              id: gid('FulfillmentOrderLineItem', l.id),
              totalQuantity: l.totalQuantity,
              remainingQuantity: l.remainingQuantity,
              sku: li?.sku ?? null,
              productTitle: li?.title ?? '',
              vendor: li?.vendor ?? null,
              weight: li?.requiresShipping ? { __typename: 'Weight', unit: 'GRAMS', value: 250 } : null,
              variantTitle: li?.variantTitle ?? null,
              requiresShipping: li?.requiresShipping ?? true,
              inventoryItemId: item ? gid('InventoryItem', item.id) : null,
              lineItem: li && order ? () => this.lineItem(order, li) : null,
              variant: variant ? () => this.variant(variant) : null,
              originalUnitPriceSet: li && order ? moneyBag(li.unitPrice, order, this.shopCurrency) : null,
              warnings: [],
            };
          },
          this.options.requireBound,
        ),
      fulfillments: (args: Args) =>
        paginateList(
          [...this.data.fulfillments.values()].filter(
            (f) => f.orderId === fo.orderId && f.fulfillmentOrderIds.includes(fo.id),
          ),
          connArgs(args),
          (f) => f.id,
          (f) => this.fulfillment(f),
          this.options.requireBound,
        ),
    };
  }

  /** A hold as FulfillmentHold; holds placed through the API were placed by the calling app. */
  fulfillmentHold(fo: FulfillmentOrderRecord, h: FulfillmentHoldRecord, k: number): Obj {
    return {
      __typename: 'FulfillmentHold',
      id: gid('FulfillmentHold', h.id ?? `${fo.id}${k}`),
      handle: h.handle ?? null,
      reason: h.reason,
      reasonNotes: h.reasonNotes,
      displayReason: HOLD_REASON_TEXT[h.reason] ?? h.reason,
      heldByRequestingApp: h.id !== undefined,
      heldByApp: null,
    };
  }

  refund(order: OrderRecord, r: RefundRecord): Obj {
    const bag = (cents: number) => moneyBag(cents, order, this.shopCurrency);
    return {
      __typename: 'Refund',
      id: gid('Refund', r.id),
      legacyResourceId: String(r.id),
      createdAt: isoTime(r.createdAt),
      updatedAt: isoTime(r.createdAt),
      note: r.note,
      totalRefundedSet: bag(r.amount),
      order: () => this.order(order),
      refundLineItems: (args: Args) =>
        paginateList(
          r.lineItems,
          connArgs(args),
          (l) => l.id,
          (l) => {
            const li = this.data.lineItem(order, l.lineItemId);
            const unit = li ? li.unitPrice - li.unitDiscount : 0;
            const location = l.locationId === null ? undefined : this.data.location(l.locationId);
            return {
              __typename: 'RefundLineItem',
              id: gid('RefundLineItem', l.id),
              quantity: l.quantity,
              restockType: l.restockType,
              restocked: l.restocked,
              location: location ? () => this.location(location) : null,
              lineItem: li ? () => this.lineItem(order, li) : null,
              priceSet: bag(unit),
              subtotalSet: bag(unit * l.quantity),
              totalTaxSet: bag(li?.taxable ? Math.round(unit * l.quantity * order.taxRate) : 0),
            };
          },
          this.options.requireBound,
        ),
    };
  }

  /** An order edit in progress (`CalculatedOrder`): the order with the staged changes. */
  calculatedOrder(edit: OrderEditRecord): Obj | null {
    const order = this.data.ordersById.get(edit.orderId);
    if (!order) return null;
    const { lines, added } = this.data.merchant.calculatedLines(edit);
    const bag = (cents: number) => moneyBag(cents, order, this.shopCurrency);
    const all = [...lines.filter((l) => l.quantityBefore > 0 || l.quantity > 0), ...added];
    let subtotal = 0;
    let taxable = 0;
    for (const l of all) {
      const unit = l.unitPrice - l.unitDiscount;
      subtotal += unit * l.quantity;
      if (!l.giftCard) taxable += unit * l.quantity;
    }
    const shipping = orderTotals(order, 'current').shipping;
    const total = subtotal + shipping + Math.round(taxable * order.taxRate);
    const { received, refunded } = orderMoney(order);
    const page = (list: CalculatedLine[]) => (args: Args) =>
      paginateList(
        list,
        connArgs(args),
        (l) => (typeof l.key === 'number' ? l.key : 0),
        (l) => this.calculatedLineItem(order, l),
        this.options.requireBound,
      );
    return {
      __typename: 'CalculatedOrder',
      id: gid('CalculatedOrder', edit.id),
      committed: edit.committed,
      originalOrder: () => this.order(order),
      lineItems: page(lines.filter((l) => l.quantityBefore > 0)),
      addedLineItems: page(added),
      subtotalLineItemsQuantity: all.reduce((sum, l) => sum + l.quantity, 0),
      subtotalPriceSet: bag(subtotal),
      totalPriceSet: bag(total),
      totalOutstandingSet: bag(total - (received - refunded)),
      taxLines: [],
      shippingLines: [],
      notificationPreviewTitle: `Order ${order.name} has been updated`,
      notificationPreviewHtml: null,
    };
  }

  calculatedLineItem(order: OrderRecord, l: CalculatedLine): Obj {
    const bag = (cents: number) => moneyBag(cents, order, this.shopCurrency);
    const unit = l.unitPrice - l.unitDiscount;
    const variant = l.variant;
    return {
      __typename: 'CalculatedLineItem',
      id: gid('CalculatedLineItem', l.key),
      title: l.title,
      variantTitle: l.variantTitle,
      sku: l.sku,
      quantity: l.quantity,
      editableQuantity: l.quantity - l.fulfilled,
      editableQuantityBeforeChanges: l.quantityBefore - l.fulfilled,
      restockable: !l.giftCard,
      restocking: l.restocking,
      hasStagedLineItemDiscount: false,
      variant: variant ? () => this.variant(variant) : null,
      originalUnitPriceSet: bag(l.unitPrice),
      discountedUnitPriceSet: bag(unit),
      editableSubtotalSet: bag(unit * (l.quantity - l.fulfilled)),
      uneditableSubtotalSet: bag(unit * l.fulfilled),
      calculatedDiscountAllocations: [],
      discountAllocations: [],
      customAttributes: [],
      stagedChanges: [],
      image: null,
    };
  }

  private supportedActions(fo: FulfillmentOrderRecord, isService: boolean): Obj[] {
    // What the merchant's rules (merchant.ts) allow: a service that has the work keeps it until it
    // accepts a cancellation request; a request out to a service pins the location.
    const actions: string[] = [];
    const serviceHasWork =
      isService && ['ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED'].includes(fo.requestStatus);
    const pinned = isService && (fo.requestStatus === 'SUBMITTED' || serviceHasWork);
    if (fo.status === 'OPEN' || fo.status === 'IN_PROGRESS') {
      actions.push('CREATE_FULFILLMENT');
      if (
        isService &&
        fo.status === 'OPEN' &&
        (fo.requestStatus === 'UNSUBMITTED' || fo.requestStatus === 'REJECTED')
      )
        actions.push('REQUEST_FULFILLMENT');
      if (fo.requestStatus === 'SUBMITTED') actions.push('CANCEL_FULFILLMENT_ORDER');
      if (fo.requestStatus === 'ACCEPTED') actions.push('REQUEST_CANCELLATION');
      if (!serviceHasWork) actions.push('HOLD');
      if (!pinned) actions.push('MOVE');
    }
    if (fo.status === 'ON_HOLD') actions.push('RELEASE_HOLD', 'HOLD', ...(pinned ? [] : ['MOVE']));
    if (fo.status === 'SCHEDULED') actions.push('MARK_AS_OPEN');
    return actions.map((action) => ({
      __typename: 'FulfillmentOrderSupportedAction',
      action,
      externalUrl: null,
    }));
  }

  fulfillment(f: FulfillmentRecord): Obj {
    const order = this.data.ordersById.get(f.orderId);
    const location = this.data.location(f.locationId);
    return {
      __typename: 'Fulfillment',
      id: gid('Fulfillment', f.id),
      legacyResourceId: String(f.id),
      name: f.name,
      status: f.status,
      displayStatus: f.status === 'SUCCESS' ? 'FULFILLED' : f.status,
      createdAt: isoTime(f.createdAt),
      updatedAt: isoTime(f.updatedAt),
      deliveredAt: null,
      estimatedDeliveryAt: null,
      inTransitAt: null,
      requiresShipping: true,
      service: (() => {
        const svc =
          this.data.fulfillmentServiceForLocation(f.locationId) ??
          this.data.fulfillmentServices.find((x) => x.type === 'MANUAL');
        return svc ? this.fulfillmentService(svc) : null;
      })(),
      totalQuantity: f.lineItems.reduce((s, l) => s + l.quantity, 0),
      location: location ? () => this.location(location) : null,
      order: order ? () => this.order(order) : null,
      trackingInfo: (args: Args) => {
        const first = typeof args.first === 'number' ? args.first : f.trackingInfo.length;
        return f.trackingInfo.slice(0, first).map((t) => ({ __typename: 'FulfillmentTrackingInfo', ...t }));
      },
      fulfillmentLineItems: (args: Args) =>
        paginateList(
          f.lineItems,
          connArgs(args),
          (l) => l.id,
          (l) => {
            const li = order ? this.data.lineItem(order, l.lineItemId) : undefined;
            return {
              __typename: 'FulfillmentLineItem',
              id: gid('FulfillmentLineItem', l.id),
              quantity: l.quantity,
              lineItem: li && order ? () => this.lineItem(order, li) : null,
            };
          },
          this.options.requireBound,
        ),
      fulfillmentOrders: (args: Args) =>
        paginateList(
          f.fulfillmentOrderIds
            .map((id) => this.data.fulfillmentOrders.get(id))
            .filter((fo): fo is FulfillmentOrderRecord => fo !== undefined),
          connArgs(args),
          (fo) => fo.id,
          (fo) => this.fulfillmentOrder(fo),
          this.options.requireBound,
        ),
    };
  }

  bulkOperation(op: BulkOperationRecord): Obj {
    const base = op.origin.replace(/\/$/, '');
    return {
      __typename: 'BulkOperation',
      id: gid('BulkOperation', op.id),
      status: op.status,
      errorCode: op.errorCode,
      createdAt: isoTime(op.createdAt),
      completedAt: op.completedAt === null ? null : isoTime(op.completedAt),
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.rootObjectCount),
      fileSize: op.fileSize === null ? null : String(op.fileSize),
      url: op.hasUrl ? `${base}/sandbox/bulk/${op.id}.jsonl` : null,
      partialDataUrl: op.hasPartialUrl ? `${base}/sandbox/bulk/${op.id}.jsonl` : null,
      query: op.query,
      type: 'QUERY',
    };
  }
}

/** Shopify's wording for each hold reason (`FulfillmentHold.displayReason`). */
const HOLD_REASON_TEXT: Record<string, string> = {
  AWAITING_PAYMENT: 'Awaiting payment',
  AWAITING_RETURN_ITEMS: 'Exchange items awaiting return delivery',
  HIGH_RISK_OF_FRAUD: 'High risk of fraud',
  INCORRECT_ADDRESS: 'Incorrect address',
  INVENTORY_OUT_OF_STOCK: 'Inventory out of stock',
  ONLINE_STORE_POST_PURCHASE_CROSS_SELL: 'Post-purchase upsell',
  UNKNOWN_DELIVERY_DATE: 'Unknown delivery date',
  OTHER: 'Other',
};

function lineItemViewLocals(self: Views, order: OrderRecord, li: LineItemRecord) {
  const variant = li.variantId === null ? undefined : self.data.variants.get(li.variantId);
  const product = li.productId === null ? undefined : self.data.products.get(li.productId);
  // Computed on first read: bulk exports read a few fields of many line items.
  let counts: { unfulfilled: number; fulfilled: number } | null = null;
  const count = () => {
    counts ??= {
      unfulfilled: self.data
        .fulfillmentOrdersOf(order)
        .flatMap((fo) => (fo.status === 'CLOSED' || fo.status === 'CANCELLED' ? [] : fo.lineItems))
        .filter((l) => l.lineItemId === li.id)
        .reduce((sum, l) => sum + l.remainingQuantity, 0),
      fulfilled: self.data
        .fulfillmentsOf(order)
        .flatMap((f) => f.lineItems)
        .filter((l) => l.lineItemId === li.id)
        .reduce((sum, l) => sum + l.quantity, 0),
    };
    return counts;
  };
  const currency = self.shopCurrency;
  return { variant, product, count, currency };
}

/** A lazy GraphQL view: fields compute on first read (bulk exports read a few fields of many). */
class LineItemView {
  readonly #self: Views;
  readonly #order: OrderRecord;
  readonly #li: LineItemRecord;
  #cache: ReturnType<typeof lineItemViewLocals> | null = null;

  constructor(self: Views, order: OrderRecord, li: LineItemRecord) {
    this.#self = self;
    this.#order = order;
    this.#li = li;
  }

  #locals(): ReturnType<typeof lineItemViewLocals> {
    this.#cache ??= lineItemViewLocals(this.#self, this.#order, this.#li);
    return this.#cache;
  }

  get __typename() {
    return 'LineItem';
  }
  get id() {
    const li = this.#li;
    return gid('LineItem', li.id);
  }
  get name() {
    const li = this.#li;
    return li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title;
  }
  get title() {
    const li = this.#li;
    return li.title;
  }
  get variantTitle() {
    const li = this.#li;
    return li.variantTitle;
  }
  get sku() {
    const li = this.#li;
    return li.sku;
  }
  get vendor() {
    const li = this.#li;
    return li.vendor;
  }
  get quantity() {
    const li = this.#li;
    return li.quantity;
  }
  get currentQuantity() {
    return currentQuantityOf(this.#order, this.#li);
  }
  get unfulfilledQuantity() {
    const { count } = this.#locals();
    return count().unfulfilled;
  }
  get fulfillableQuantity() {
    const { count } = this.#locals();
    return count().unfulfilled;
  }
  get nonFulfillableQuantity() {
    const li = this.#li;
    const { count } = this.#locals();
    return Math.max(0, li.quantity - count().unfulfilled - count().fulfilled);
  }
  get refundableQuantity() {
    return currentQuantityOf(this.#order, this.#li);
  }
  get requiresShipping() {
    const li = this.#li;
    return li.requiresShipping;
  }
  get isGiftCard() {
    const li = this.#li;
    return li.isGiftCard;
  }
  get taxable() {
    const li = this.#li;
    return li.taxable;
  }
  get fulfillmentStatus() {
    const { count } = this.#locals();
    return count().unfulfilled === 0 ? 'fulfilled' : count().fulfilled > 0 ? 'partial' : 'unfulfilled';
  }
  get originalUnitPriceSet() {
    const order = this.#order;
    const li = this.#li;
    const { currency } = this.#locals();
    return moneyBag(li.unitPrice, order, currency);
  }
  get discountedUnitPriceSet() {
    const order = this.#order;
    const li = this.#li;
    const { currency } = this.#locals();
    return moneyBag(li.unitPrice - li.unitDiscount, order, currency);
  }
  get originalTotalSet() {
    const order = this.#order;
    const li = this.#li;
    const { currency } = this.#locals();
    return moneyBag(li.unitPrice * li.quantity, order, currency);
  }
  get discountedTotalSet() {
    const order = this.#order;
    const li = this.#li;
    const { currency } = this.#locals();
    return moneyBag((li.unitPrice - li.unitDiscount) * li.quantity, order, currency);
  }
  get totalDiscountSet() {
    const order = this.#order;
    const li = this.#li;
    const { currency } = this.#locals();
    return moneyBag(li.unitDiscount * li.quantity, order, currency);
  }
  get discountedUnitPriceAfterAllDiscountsSet() {
    const order = this.#order;
    const li = this.#li;
    const { currency } = this.#locals();
    return moneyBag(li.unitPrice - li.unitDiscount, order, currency);
  }
  get unfulfilledDiscountedTotalSet() {
    const order = this.#order;
    const li = this.#li;
    const { count, currency } = this.#locals();
    return moneyBag((li.unitPrice - li.unitDiscount) * count().unfulfilled, order, currency);
  }
  get restockable() {
    const order = this.#order;
    const li = this.#li;
    return !li.isGiftCard && order.cancelledAt === null;
  }
  get merchantEditable() {
    const order = this.#order;
    return order.cancelledAt === null && order.closedAt === null;
  }
  get customAttributes() {
    return [];
  }
  get taxLines() {
    const self = this.#self;
    const order = this.#order;
    const li = this.#li;
    return (_args: Args) =>
      li.taxable
        ? [self.taxLine(order, Math.round((li.unitPrice - li.unitDiscount) * li.quantity * order.taxRate))]
        : [];
  }
  get discountAllocations() {
    const order = this.#order;
    const li = this.#li;
    const { currency } = this.#locals();
    return li.unitDiscount > 0
      ? [
          {
            __typename: 'DiscountAllocation',
            allocatedAmountSet: moneyBag(li.unitDiscount * li.quantity, order, currency),
          },
        ]
      : [];
  }
  get fulfillmentService() {
    const self = this.#self;
    const order = this.#order;
    const li = this.#li;
    return (() => {
      const fo = self.data
        .fulfillmentOrdersOf(order)
        .find((x) => x.lineItems.some((l) => l.lineItemId === li.id));
      const service = fo ? self.data.fulfillmentServiceForLocation(fo.locationId) : undefined;
      const manual = self.data.fulfillmentServices.find(
        (f) => f.type === (li.isGiftCard ? 'GIFT_CARD' : 'MANUAL'),
      );
      const chosen = service ?? manual;
      return chosen ? self.fulfillmentService(chosen) : null;
    })();
  }
  get variant() {
    const self = this.#self;
    const { variant } = this.#locals();
    return variant ? () => self.variant(variant) : null;
  }
  get product() {
    const self = this.#self;
    const { product } = this.#locals();
    return product ? () => self.product(product) : null;
  }
}

function orderViewLocals(self: Views, order: OrderRecord) {
  const currency = self.shopCurrency;
  const t = self.orderTotals(order);
  // What remains after edits and refunds (nothing once cancelled).
  const c =
    order.cancelledAt !== null
      ? { subtotal: 0, discounts: 0, shipping: 0, tax: 0, total: 0 }
      : orderTotals(order, 'current');
  const { received, refunded } = orderMoney(order);
  const outstanding = outstandingOf(order);
  const current = currentTotalOf(order);
  const bag = (cents: number) => moneyBag(cents, order, currency);
  return { currency, t, c, refunded, received, outstanding, current, bag };
}

/** A lazy GraphQL view: fields compute on first read (bulk exports read a few fields of many). */
class OrderView {
  readonly #self: Views;
  readonly #order: OrderRecord;
  #cache: ReturnType<typeof orderViewLocals> | null = null;

  constructor(self: Views, order: OrderRecord) {
    this.#self = self;
    this.#order = order;
  }

  #locals(): ReturnType<typeof orderViewLocals> {
    this.#cache ??= orderViewLocals(this.#self, this.#order);
    return this.#cache;
  }

  get __typename() {
    return 'Order';
  }
  get id() {
    const order = this.#order;
    return gid('Order', order.id);
  }
  get legacyResourceId() {
    const order = this.#order;
    return String(order.id);
  }
  get name() {
    const order = this.#order;
    return order.name;
  }
  get createdAt() {
    const order = this.#order;
    return isoTime(order.createdAt);
  }
  get updatedAt() {
    const order = this.#order;
    return isoTime(order.updatedAt);
  }
  get processedAt() {
    const order = this.#order;
    return isoTime(order.processedAt);
  }
  get cancelledAt() {
    const order = this.#order;
    return order.cancelledAt === null ? null : isoTime(order.cancelledAt);
  }
  get cancelReason() {
    const order = this.#order;
    return order.cancelReason;
  }
  get closed() {
    const order = this.#order;
    return order.closedAt !== null;
  }
  get closedAt() {
    const order = this.#order;
    return order.closedAt === null ? null : isoTime(order.closedAt);
  }
  get confirmed() {
    return true;
  }
  get test() {
    const order = this.#order;
    return order.test;
  }
  get email() {
    const order = this.#order;
    return order.email;
  }
  get phone() {
    const order = this.#order;
    return order.phone;
  }
  get note() {
    const order = this.#order;
    return order.note;
  }
  get tags() {
    const order = this.#order;
    return order.tags;
  }
  get sourceName() {
    return 'web';
  }
  get currencyCode() {
    const { currency } = this.#locals();
    return currency;
  }
  get presentmentCurrencyCode() {
    const order = this.#order;
    return order.presentmentCurrency;
  }
  get displayFinancialStatus() {
    const order = this.#order;
    return order.financialStatus;
  }
  get displayFulfillmentStatus() {
    const order = this.#order;
    return order.fulfillmentStatus;
  }
  get fullyPaid() {
    const { received, outstanding } = this.#locals();
    return outstanding === 0 && received > 0;
  }
  get unpaid() {
    const { received } = this.#locals();
    return received === 0;
  }
  get requiresShipping() {
    const order = this.#order;
    return order.lineItems.some((li) => li.requiresShipping);
  }
  get customer() {
    const self = this.#self;
    const order = this.#order;
    return self.customer(order);
  }
  get shippingAddress() {
    const order = this.#order;
    return addressView(order.shippingAddress, order.id);
  }
  get billingAddress() {
    const order = this.#order;
    return addressView(order.billingAddress, order.id + 1);
  }
  get shippingLine() {
    const order = this.#order;
    const { bag } = this.#locals();
    return order.shippingLine
      ? {
          __typename: 'ShippingLine',
          id: gid('ShippingLine', order.id),
          title: order.shippingLine.title,
          code: order.shippingLine.code,
          source: order.shippingLine.source,
          carrierIdentifier: order.shippingLine.source === 'shopify' ? null : order.shippingLine.source,
          originalPriceSet: bag(order.shippingLine.price),
          discountedPriceSet: bag(order.shippingLine.price),
        }
      : null;
  }
  get subtotalPriceSet() {
    const { t, bag } = this.#locals();
    return bag(t.subtotal);
  }
  get currentSubtotalPriceSet() {
    const { c, bag } = this.#locals();
    return bag(c.subtotal);
  }
  get totalDiscountsSet() {
    const { t, bag } = this.#locals();
    return bag(t.discounts);
  }
  get totalShippingPriceSet() {
    const { t, bag } = this.#locals();
    return bag(t.shipping);
  }
  get totalTaxSet() {
    const { t, bag } = this.#locals();
    return bag(t.tax);
  }
  get currentTotalTaxSet() {
    const { c, bag } = this.#locals();
    return bag(c.tax);
  }
  get totalPriceSet() {
    const { t, bag } = this.#locals();
    return bag(t.total);
  }
  get currentTotalPriceSet() {
    const { current, bag } = this.#locals();
    return bag(current);
  }
  get totalReceivedSet() {
    const { received, bag } = this.#locals();
    return bag(received);
  }
  get totalRefundedSet() {
    const { refunded, bag } = this.#locals();
    return bag(refunded);
  }
  get totalOutstandingSet() {
    const { outstanding, bag } = this.#locals();
    return bag(outstanding);
  }
  get netPaymentSet() {
    const { received, refunded, bag } = this.#locals();
    return bag(received - refunded);
  }
  get merchantEditable() {
    const order = this.#order;
    return order.cancelledAt === null && order.closedAt === null;
  }
  get refundable() {
    const order = this.#order;
    const { received, refunded } = this.#locals();
    return received - refunded > 0 || order.lineItems.some((li) => currentQuantityOf(order, li) > 0);
  }
  get refunds() {
    const self = this.#self;
    const order = this.#order;
    return (args: Args) => {
      const list = order.refunds ?? [];
      const first = typeof args.first === 'number' ? args.first : list.length;
      return list.slice(0, first).map((r) => self.refund(order, r));
    };
  }
  get subtotalLineItemsQuantity() {
    const order = this.#order;
    return order.lineItems.reduce((s, li) => s + li.quantity, 0);
  }
  get currentSubtotalLineItemsQuantity() {
    const order = this.#order;
    return order.lineItems.reduce((s, li) => s + currentQuantityOf(order, li), 0);
  }
  get currentTotalDiscountsSet() {
    const { c, bag } = this.#locals();
    return bag(c.discounts);
  }
  get currentShippingPriceSet() {
    const { c, bag } = this.#locals();
    return bag(c.shipping);
  }
  get originalTotalPriceSet() {
    const { t, bag } = this.#locals();
    return bag(t.total);
  }
  get taxesIncluded() {
    return false;
  }
  get fulfillable() {
    const self = this.#self;
    const order = this.#order;
    return (
      order.cancelledAt === null &&
      self.data
        .fulfillmentOrdersOf(order)
        .some(
          (fo) =>
            (fo.status === 'OPEN' || fo.status === 'IN_PROGRESS') &&
            fo.lineItems.some((l) => l.remainingQuantity > 0),
        )
    );
  }
  get poNumber() {
    return null;
  }
  get discountCodes() {
    const order = this.#order;
    return order.lineItems.some((li) => li.unitDiscount > 0) ? ['WELCOME10'] : [];
  }
  get customAttributes() {
    return [];
  }
  get taxLines() {
    const self = this.#self;
    const order = this.#order;
    const { t } = this.#locals();
    return t.tax > 0 ? [self.taxLine(order, t.tax)] : [];
  }
  get shippingLines() {
    const self = this.#self;
    const order = this.#order;
    const { bag } = this.#locals();
    return (args: Args) =>
      paginateList(
        order.shippingLine ? [order.shippingLine] : [],
        connArgs(args),
        () => order.id,
        (sl) => ({
          __typename: 'ShippingLine',
          id: gid('ShippingLine', order.id),
          title: sl.title,
          code: sl.code,
          source: sl.source,
          carrierIdentifier: sl.source === 'shopify' ? null : sl.source,
          originalPriceSet: bag(sl.price),
          discountedPriceSet: bag(sl.price),
        }),
        self.options.requireBound,
      );
  }
  get lineItems() {
    const self = this.#self;
    const order = this.#order;
    return (args: Args) =>
      paginateList(
        order.lineItems,
        connArgs(args),
        (li) => li.id,
        (li) => self.lineItem(order, li),
        self.options.requireBound,
      );
  }
  get fulfillmentOrders() {
    const self = this.#self;
    const order = this.#order;
    return (args: Args, ctx: SandboxRequestContext) => {
      let list = self.data
        .fulfillmentOrdersOf(order)
        .filter((fo) => fulfillmentOrderVisible(ctx, self.data.location(fo.locationId)));
      if (args.displayable === true)
        list = list.filter((fo) => fo.status !== 'CLOSED' && fo.status !== 'CANCELLED');
      return paginateList(
        list,
        connArgs(args),
        (fo) => fo.id,
        (fo) => self.fulfillmentOrder(fo),
        self.options.requireBound,
      );
    };
  }
  get returnStatus() {
    return this.#order.returnStatus ?? 'NO_RETURN';
  }
  get returns() {
    return orderReturns(this.#self, this.#order);
  }
  get fulfillments() {
    const self = this.#self;
    const order = this.#order;
    return (args: Args, ctx: SandboxRequestContext) => {
      if (!hasScope(ctx, 'read_fulfillments') && !hasScope(ctx, 'read_orders')) return [];
      const list = self.data.fulfillmentsOf(order);
      const first = typeof args.first === 'number' ? args.first : list.length;
      return list.slice(0, first).map((f) => self.fulfillment(f));
    };
  }
}
