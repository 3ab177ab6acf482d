import type { SandboxRequestContext } from '../context.js';
import { fulfillmentOrderVisible, hasScope } from './access.js';
import { type ConnectionArgs, paginateList } from './connection.js';
import { decimal, gid, isoTime } from './gid.js';
import type {
  Address,
  BulkOperationRecord,
  FulfillmentOrderRecord,
  FulfillmentRecord,
  FulfillmentServiceRecord,
  InventoryItemRecord,
  InventoryLevelRecord,
  LineItemRecord,
  LocationRecord,
  OrderRecord,
  ProductRecord,
  VariantRecord,
} from './model.js';
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

  private get shopCurrency(): string {
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
    const onHand = lv.available + lv.committed + lv.reserved + lv.damaged;
    const values: Record<string, number> = {
      available: lv.available,
      committed: lv.committed,
      incoming: lv.incoming,
      reserved: lv.reserved,
      damaged: lv.damaged,
      on_hand: onHand,
      quality_control: 0,
      safety_stock: 0,
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
    const variant = li.variantId === null ? undefined : this.data.variants.get(li.variantId);
    const product = li.productId === null ? undefined : this.data.products.get(li.productId);
    const unfulfilled = this.data
      .fulfillmentOrdersOf(order)
      .flatMap((fo) => (fo.status === 'CLOSED' || fo.status === 'CANCELLED' ? [] : fo.lineItems))
      .filter((l) => l.lineItemId === li.id)
      .reduce((sum, l) => sum + l.remainingQuantity, 0);
    const fulfilledQuantity = this.data
      .fulfillmentsOf(order)
      .flatMap((f) => f.lineItems)
      .filter((l) => l.lineItemId === li.id)
      .reduce((sum, l) => sum + l.quantity, 0);
    const currency = this.shopCurrency;
    return {
      __typename: 'LineItem',
      id: gid('LineItem', li.id),
      name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
      title: li.title,
      variantTitle: li.variantTitle,
      sku: li.sku,
      vendor: li.vendor,
      quantity: li.quantity,
      currentQuantity: order.cancelledAt === null ? li.quantity : 0,
      unfulfilledQuantity: unfulfilled,
      fulfillableQuantity: unfulfilled,
      nonFulfillableQuantity:
        li.quantity - unfulfilled - fulfilledQuantity > 0 ? li.quantity - unfulfilled - fulfilledQuantity : 0,
      refundableQuantity: li.quantity,
      requiresShipping: li.requiresShipping,
      isGiftCard: li.isGiftCard,
      taxable: li.taxable,
      fulfillmentStatus: unfulfilled === 0 ? 'fulfilled' : fulfilledQuantity > 0 ? 'partial' : 'unfulfilled',
      originalUnitPriceSet: moneyBag(li.unitPrice, order, currency),
      discountedUnitPriceSet: moneyBag(li.unitPrice - li.unitDiscount, order, currency),
      originalTotalSet: moneyBag(li.unitPrice * li.quantity, order, currency),
      discountedTotalSet: moneyBag((li.unitPrice - li.unitDiscount) * li.quantity, order, currency),
      totalDiscountSet: moneyBag(li.unitDiscount * li.quantity, order, currency),
      discountedUnitPriceAfterAllDiscountsSet: moneyBag(li.unitPrice - li.unitDiscount, order, currency),
      unfulfilledDiscountedTotalSet: moneyBag(
        (li.unitPrice - li.unitDiscount) * unfulfilled,
        order,
        currency,
      ),
      restockable: !li.isGiftCard && order.cancelledAt === null,
      merchantEditable: order.cancelledAt === null && order.closedAt === null,
      customAttributes: [],
      taxLines: (_args: Args) =>
        li.taxable
          ? [this.taxLine(order, Math.round((li.unitPrice - li.unitDiscount) * li.quantity * order.taxRate))]
          : [],
      discountAllocations:
        li.unitDiscount > 0
          ? [
              {
                __typename: 'DiscountAllocation',
                allocatedAmountSet: moneyBag(li.unitDiscount * li.quantity, order, currency),
              },
            ]
          : [],
      fulfillmentService: (() => {
        const fo = this.data
          .fulfillmentOrdersOf(order)
          .find((x) => x.lineItems.some((l) => l.lineItemId === li.id));
        const service = fo ? this.data.fulfillmentServiceForLocation(fo.locationId) : undefined;
        const manual = this.data.fulfillmentServices.find(
          (f) => f.type === (li.isGiftCard ? 'GIFT_CARD' : 'MANUAL'),
        );
        const chosen = service ?? manual;
        return chosen ? this.fulfillmentService(chosen) : null;
      })(),
      variant: variant ? () => this.variant(variant) : null,
      product: product ? () => this.product(product) : null,
    };
  }

  private taxLine(order: OrderRecord, cents: number): Obj {
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

  private orderTotals(order: OrderRecord): {
    subtotal: number;
    discounts: number;
    shipping: number;
    tax: number;
    total: number;
  } {
    let gross = 0;
    let discounts = 0;
    let taxable = 0;
    for (const li of order.lineItems) {
      gross += li.unitPrice * li.quantity;
      discounts += li.unitDiscount * li.quantity;
      if (li.taxable) taxable += (li.unitPrice - li.unitDiscount) * li.quantity;
    }
    const subtotal = gross - discounts;
    const shipping = order.shippingLine?.price ?? 0;
    const tax = Math.round(taxable * order.taxRate);
    return { subtotal, discounts, shipping, tax, total: subtotal + shipping + tax };
  }

  order(order: OrderRecord): Obj {
    const currency = this.shopCurrency;
    const t = this.orderTotals(order);
    const refunded =
      order.financialStatus === 'REFUNDED'
        ? t.total
        : order.financialStatus === 'PARTIALLY_REFUNDED'
          ? Math.round(t.total / 3)
          : 0;
    const received =
      order.financialStatus === 'PAID' ||
      order.financialStatus === 'PARTIALLY_REFUNDED' ||
      order.financialStatus === 'REFUNDED'
        ? t.total
        : order.financialStatus === 'PARTIALLY_PAID'
          ? Math.round(t.total / 2)
          : 0;
    const outstanding =
      order.cancelledAt !== null || order.financialStatus === 'VOIDED' || order.financialStatus === 'EXPIRED'
        ? 0
        : t.total - received;
    const current = order.cancelledAt !== null ? 0 : t.total - refunded;
    const bag = (cents: number) => moneyBag(cents, order, currency);
    return {
      __typename: 'Order',
      id: gid('Order', order.id),
      legacyResourceId: String(order.id),
      name: order.name,
      createdAt: isoTime(order.createdAt),
      updatedAt: isoTime(order.updatedAt),
      processedAt: isoTime(order.processedAt),
      cancelledAt: order.cancelledAt === null ? null : isoTime(order.cancelledAt),
      cancelReason: order.cancelReason,
      closed: order.closedAt !== null,
      closedAt: order.closedAt === null ? null : isoTime(order.closedAt),
      confirmed: true,
      test: order.test,
      email: order.email,
      phone: order.phone,
      note: order.note,
      tags: order.tags,
      sourceName: 'web',
      currencyCode: currency,
      presentmentCurrencyCode: order.presentmentCurrency,
      displayFinancialStatus: order.financialStatus,
      displayFulfillmentStatus: order.fulfillmentStatus,
      fullyPaid: outstanding === 0 && received > 0,
      unpaid: received === 0,
      requiresShipping: order.lineItems.some((li) => li.requiresShipping),
      customer: this.customer(order),
      shippingAddress: addressView(order.shippingAddress, order.id),
      billingAddress: addressView(order.billingAddress, order.id + 1),
      shippingLine: order.shippingLine
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
        : null,
      subtotalPriceSet: bag(t.subtotal),
      currentSubtotalPriceSet: bag(order.cancelledAt !== null ? 0 : t.subtotal),
      totalDiscountsSet: bag(t.discounts),
      totalShippingPriceSet: bag(t.shipping),
      totalTaxSet: bag(t.tax),
      currentTotalTaxSet: bag(order.cancelledAt !== null ? 0 : t.tax),
      totalPriceSet: bag(t.total),
      currentTotalPriceSet: bag(current),
      totalReceivedSet: bag(received),
      totalRefundedSet: bag(refunded),
      totalOutstandingSet: bag(outstanding),
      subtotalLineItemsQuantity: order.lineItems.reduce((s, li) => s + li.quantity, 0),
      currentSubtotalLineItemsQuantity:
        order.cancelledAt !== null ? 0 : order.lineItems.reduce((s, li) => s + li.quantity, 0),
      currentTotalDiscountsSet: bag(order.cancelledAt !== null ? 0 : t.discounts),
      currentShippingPriceSet: bag(order.cancelledAt !== null ? 0 : t.shipping),
      originalTotalPriceSet: bag(t.total),
      taxesIncluded: false,
      fulfillable:
        order.cancelledAt === null &&
        this.data
          .fulfillmentOrdersOf(order)
          .some(
            (fo) =>
              (fo.status === 'OPEN' || fo.status === 'IN_PROGRESS') &&
              fo.lineItems.some((l) => l.remainingQuantity > 0),
          ),
      poNumber: null,
      discountCodes: order.lineItems.some((li) => li.unitDiscount > 0) ? ['WELCOME10'] : [],
      customAttributes: [],
      taxLines: t.tax > 0 ? [this.taxLine(order, t.tax)] : [],
      shippingLines: (args: Args) =>
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
          this.options.requireBound,
        ),
      lineItems: (args: Args) =>
        paginateList(
          order.lineItems,
          connArgs(args),
          (li) => li.id,
          (li) => this.lineItem(order, li),
          this.options.requireBound,
        ),
      fulfillmentOrders: (args: Args, ctx: SandboxRequestContext) => {
        let list = this.data
          .fulfillmentOrdersOf(order)
          .filter((fo) => fulfillmentOrderVisible(ctx, this.data.location(fo.locationId)));
        if (args.displayable === true)
          list = list.filter((fo) => fo.status !== 'CLOSED' && fo.status !== 'CANCELLED');
        return paginateList(
          list,
          connArgs(args),
          (fo) => fo.id,
          (fo) => this.fulfillmentOrder(fo),
          this.options.requireBound,
        );
      },
      fulfillments: (args: Args, ctx: SandboxRequestContext) => {
        if (!hasScope(ctx, 'read_fulfillments') && !hasScope(ctx, 'read_orders')) return [];
        const list = this.data.fulfillmentsOf(order);
        const first = typeof args.first === 'number' ? args.first : list.length;
        return list.slice(0, first).map((f) => this.fulfillment(f));
      },
    };
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
      fulfillmentHolds: fo.holds.map((h, k) => ({
        __typename: 'FulfillmentHold',
        id: gid('FulfillmentHold', `${fo.id}${k}`),
        reason: h.reason,
        reasonNotes: h.reasonNotes,
        displayReason: h.reason.toLowerCase().replace(/_/g, ' '),
        heldByRequestingApp: false,
      })),
      supportedActions: this.supportedActions(fo, service !== undefined),
      merchantRequests: (args: Args) =>
        paginateList(
          [],
          connArgs(args),
          () => 0,
          (x: Obj) => x,
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

  private supportedActions(fo: FulfillmentOrderRecord, isService: boolean): Obj[] {
    const actions: string[] = [];
    if (fo.status === 'OPEN' || fo.status === 'IN_PROGRESS') {
      actions.push('CREATE_FULFILLMENT');
      if (isService && fo.requestStatus === 'UNSUBMITTED') actions.push('REQUEST_FULFILLMENT');
      if (fo.requestStatus === 'SUBMITTED' || fo.requestStatus === 'ACCEPTED')
        actions.push('CANCEL_FULFILLMENT_ORDER');
      actions.push('HOLD', 'MOVE');
    }
    if (fo.status === 'ON_HOLD') actions.push('RELEASE_HOLD');
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
