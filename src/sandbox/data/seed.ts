import type {
  Address,
  CancelReason,
  CustomerRecord,
  FinancialStatus,
  FulfillmentOrderRecord,
  FulfillmentRecord,
  FulfillmentServiceRecord,
  FulfillmentStatus,
  InventoryItemRecord,
  InventoryLevelRecord,
  LineItemRecord,
  LocationRecord,
  OrderRecord,
  ProductRecord,
  ShippingLineRecord,
  VariantRecord,
} from './model.js';
import { CANCEL_REASONS, FINANCIAL_STATUSES, FULFILLMENT_STATUSES } from './model.js';
import { Prng } from './prng.js';

/** ID bases: Shopify-sized numeric ids, stable for a seed. */
export const ID_BASE = {
  location: 70_000_000_000,
  fulfillmentService: 60_000_000_000,
  product: 8_000_000_000_000,
  variant: 44_000_000_000_000,
  inventoryItem: 46_000_000_000_000,
  customer: 7_000_000_000_000,
  order: 5_900_000_000_000,
  lineItem: 14_000_000_000_000,
  fulfillmentOrder: 6_800_000_000_000,
  fulfillmentOrderLineItem: 14_500_000_000_000,
  fulfillment: 5_100_000_000_000,
  fulfillmentLineItem: 12_000_000_000_000,
  bulkOperation: 3_300_000_000_000,
  fulfillmentHold: 2_600_000_000_000,
  merchantRequest: 2_700_000_000_000,
  refund: 1_100_000_000_000,
  refundLineItem: 1_200_000_000_000,
  calculatedOrder: 1_300_000_000_000,
  job: 1_400_000_000_000,
  return: 9_100_000_000,
  returnLineItem: 9_200_000_000,
  reverseFulfillmentOrder: 9_300_000_000,
  reverseFulfillmentOrderLineItem: 9_400_000_000,
  reverseFulfillmentOrderDisposition: 9_500_000_000,
  reverseDelivery: 9_600_000_000,
  reverseDeliveryLineItem: 9_700_000_000,
} as const;

const DAY = 86_400_000;
/** The seeded orders span this many days before `now`. */
export const SEED_SPAN_DAYS = 90;

/** Whole seconds, as Shopify reports times. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export const LOCATION_IDS = {
  warehouse: ID_BASE.location + 1,
  store: ID_BASE.location + 2,
  closed: ID_BASE.location + 3,
  acme3pl: ID_BASE.location + 4,
  overflow: ID_BASE.location + 5,
} as const;

function address(
  firstName: string,
  lastName: string,
  address1: string,
  city: string,
  province: string | null,
  provinceCode: string | null,
  zip: string,
  country: string,
  countryCode: string,
  phone: string | null = null,
  company: string | null = null,
): Address {
  return {
    firstName,
    lastName,
    company,
    address1,
    address2: null,
    city,
    province,
    provinceCode,
    zip,
    country,
    countryCode,
    phone,
  };
}

export function seedLocations(createdAt: number): LocationRecord[] {
  const loc = (
    id: number,
    name: string,
    isActive: boolean,
    fulfillsOnlineOrders: boolean,
    handle: string | null,
    addr: Address,
  ): LocationRecord => ({
    id,
    name,
    isActive,
    fulfillsOnlineOrders,
    shipsInventory: isActive,
    fulfillmentServiceHandle: handle,
    address: addr,
    createdAt,
  });
  return [
    loc(
      LOCATION_IDS.warehouse,
      'Main Warehouse',
      true,
      true,
      null,
      address('', '', '100 Harbor Way', 'Newark', 'New Jersey', 'NJ', '07114', 'United States', 'US'),
    ),
    loc(
      LOCATION_IDS.store,
      'Brooklyn Store',
      true,
      false,
      null,
      address('', '', '25 Bedford Ave', 'Brooklyn', 'New York', 'NY', '11211', 'United States', 'US'),
    ),
    loc(
      LOCATION_IDS.closed,
      'Old Depot (closed)',
      false,
      false,
      null,
      address('', '', '9 Quarry Rd', 'Allentown', 'Pennsylvania', 'PA', '18101', 'United States', 'US'),
    ),
    loc(
      LOCATION_IDS.acme3pl,
      'Acme 3PL',
      true,
      true,
      'acme-3pl',
      address('', '', '4000 Logistics Pkwy', 'Columbus', 'Ohio', 'OH', '43217', 'United States', 'US'),
    ),
    loc(
      LOCATION_IDS.overflow,
      'Overflow Storage',
      true,
      true,
      null,
      address('', '', '77 Depot St', 'Reno', 'Nevada', 'NV', '89502', 'United States', 'US'),
    ),
  ];
}

export function seedFulfillmentServices(): FulfillmentServiceRecord[] {
  return [
    {
      id: ID_BASE.fulfillmentService + 1,
      handle: 'acme-3pl',
      serviceName: 'Acme 3PL',
      callbackUrl: 'https://3pl.example.com/shopify',
      inventoryManagement: true,
      trackingSupport: true,
      permitsSkuSharing: true,
      type: 'THIRD_PARTY',
      locationId: LOCATION_IDS.acme3pl,
    },
    {
      id: ID_BASE.fulfillmentService + 2,
      handle: 'gift_card',
      serviceName: 'Gift Card',
      callbackUrl: null,
      inventoryManagement: false,
      trackingSupport: false,
      permitsSkuSharing: false,
      type: 'GIFT_CARD',
      locationId: null,
    },
    {
      id: ID_BASE.fulfillmentService + 3,
      handle: 'manual',
      serviceName: 'Manual',
      callbackUrl: null,
      inventoryManagement: false,
      trackingSupport: false,
      permitsSkuSharing: true,
      type: 'MANUAL',
      locationId: null,
    },
  ];
}

interface CatalogSpec {
  title: string;
  type: string;
  vendor: string;
  /** [variant title, sku, price cents] */
  variants: [string, string | null, number][];
  giftCard?: boolean;
}

// Shared SKUs on purpose: MUG-CLASSIC (a bundle re-listing), TOTE-CANVAS (two colourways under one SKU).
const CATALOG: CatalogSpec[] = [
  {
    title: 'Classic Tee',
    type: 'Shirts',
    vendor: 'Acme Apparel',
    variants: [
      ['Black / S', 'TEE-BLK-S', 2500],
      ['Black / M', 'TEE-BLK-M', 2500],
      ['Black / L', 'TEE-BLK-L', 2500],
      ['White / M', 'TEE-WHT-M', 2500],
    ],
  },
  {
    title: 'Hoodie',
    type: 'Sweaters',
    vendor: 'Acme Apparel',
    variants: [
      ['Grey / M', 'HOOD-GRY-M', 5900],
      ['Grey / L', 'HOOD-GRY-L', 5900],
      ['Navy / L', 'HOOD-NVY-L', 5900],
    ],
  },
  {
    title: 'Classic Mug',
    type: 'Kitchen',
    vendor: 'Acme Home',
    variants: [['Default Title', 'MUG-CLASSIC', 1450]],
  },
  {
    title: 'Mug Gift Box',
    type: 'Kitchen',
    vendor: 'Acme Home',
    variants: [['Default Title', 'MUG-CLASSIC', 1990]],
  },
  {
    title: 'Canvas Tote',
    type: 'Bags',
    vendor: 'Acme Home',
    variants: [
      ['Natural', 'TOTE-CANVAS', 1800],
      ['Black', 'TOTE-CANVAS', 1800],
    ],
  },
  {
    title: 'Water Bottle',
    type: 'Outdoor',
    vendor: 'Trail Co',
    variants: [
      ['750 ml', 'BOTTLE-750', 2200],
      ['1 l', 'BOTTLE-1000', 2600],
    ],
  },
  {
    title: 'Sticker Pack',
    type: 'Accessories',
    vendor: 'Acme Apparel',
    variants: [['Default Title', 'STICKER-PACK', 500]],
  },
  {
    title: 'Wool Socks',
    type: 'Socks',
    vendor: 'Trail Co',
    variants: [
      ['S/M', 'SOCK-WOOL-SM', 1600],
      ['L/XL', 'SOCK-WOOL-LX', 1600],
    ],
  },
  {
    title: 'Trail Cap',
    type: 'Hats',
    vendor: 'Trail Co',
    variants: [['Default Title', 'CAP-TRAIL', 2800]],
  },
  {
    title: 'Notebook',
    type: 'Stationery',
    vendor: 'Paper Mill',
    variants: [
      ['Lined', 'NOTE-LINED', 1200],
      ['Dotted', 'NOTE-DOT', 1200],
    ],
  },
  {
    title: 'Handmade Sample',
    type: 'Samples',
    vendor: 'Acme Home',
    variants: [['Default Title', null, 0]],
  },
  {
    title: 'Gift Card',
    type: 'Gift Cards',
    vendor: 'Acme',
    giftCard: true,
    variants: [
      ['$25', 'GIFT-25', 2500],
      ['$50', 'GIFT-50', 5000],
    ],
  },
];

export interface Catalog {
  products: ProductRecord[];
  variants: VariantRecord[];
  inventoryItems: InventoryItemRecord[];
  levels: InventoryLevelRecord[];
}

export function seedCatalog(seed: number, createdAt: number): Catalog {
  const rng = Prng.derive(seed, 1);
  const products: ProductRecord[] = [];
  const variants: VariantRecord[] = [];
  const inventoryItems: InventoryItemRecord[] = [];
  const levels: InventoryLevelRecord[] = [];
  let variantSeq = 0;
  CATALOG.forEach((spec, p) => {
    const productId = ID_BASE.product + p + 1;
    const product: ProductRecord = {
      id: productId,
      title: spec.title,
      vendor: spec.vendor,
      productType: spec.type,
      handle: spec.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      isGiftCard: spec.giftCard === true,
      createdAt,
      updatedAt: createdAt,
      variantIds: [],
    };
    products.push(product);
    for (const [title, sku, price] of spec.variants) {
      variantSeq++;
      const variantId = ID_BASE.variant + variantSeq;
      const itemId = ID_BASE.inventoryItem + variantSeq;
      product.variantIds.push(variantId);
      variants.push({
        id: variantId,
        productId,
        title,
        sku,
        barcode: sku === null ? null : String(4_006_381_000_000 + variantSeq),
        price,
        inventoryItemId: itemId,
        createdAt,
        updatedAt: createdAt,
      });
      const giftCard = spec.giftCard === true;
      inventoryItems.push({
        id: itemId,
        variantId,
        sku,
        tracked: !giftCard,
        requiresShipping: !giftCard,
        createdAt,
        updatedAt: createdAt,
      });
      if (giftCard) continue;
      // Stocked at the warehouse and the 3PL always; at the store and overflow only sometimes;
      // the closed depot keeps a few old levels. Missing = "not stocked at this location".
      const stockedAt: number[] = [LOCATION_IDS.warehouse, LOCATION_IDS.acme3pl];
      if (rng.chance(0.6)) stockedAt.push(LOCATION_IDS.store);
      if (rng.chance(0.3)) stockedAt.push(LOCATION_IDS.closed);
      if (variantSeq % 4 === 0) stockedAt.push(LOCATION_IDS.overflow);
      for (const locationId of stockedAt) {
        const available = rng.int(0, 120);
        levels.push({
          id: levelId(itemId, locationId),
          inventoryItemId: itemId,
          locationId,
          available,
          committed: rng.int(0, 8),
          incoming: rng.chance(0.2) ? rng.int(10, 50) : 0,
          reserved: 0,
          damaged: rng.chance(0.1) ? rng.int(1, 3) : 0,
          updatedAt: createdAt,
        });
      }
    }
  });
  return { products, variants, inventoryItems, levels };
}

/**
 * SKUs whose level at the 3PL is removed once every order is generated: orders routed there
 * still hold them, so fulfilling those lines from the 3PL fails as on Shopify ("… is not stocked
 * at Acme 3PL."). Applied after generation, so every seeded value stays as the seed made it.
 */
export const UNSTOCKED_AT_3PL: readonly string[] = ['CAP-TRAIL'];

/** The level keys (`${itemId}:${locationId}`) that `UNSTOCKED_AT_3PL` removes. */
export function unstockedLevelKeys(variants: readonly VariantRecord[]): string[] {
  return variants
    .filter((v) => v.sku !== null && UNSTOCKED_AT_3PL.includes(v.sku))
    .map((v) => `${v.inventoryItemId}:${LOCATION_IDS.acme3pl}`);
}

/**
 * `count` generated products after the seeded catalog (whose last variant is `after`): one
 * variant each, SKU `GEN-000001`…, tracked, stocked at the warehouse and the 3PL with seeded
 * quantities. For catalogs of benchmark size; the seeded catalog itself never changes.
 */
export function seedGeneratedProducts(
  seed: number,
  createdAt: number,
  count: number,
  after: number,
): Catalog {
  const rng = Prng.derive(seed, 7);
  const out: Catalog = { products: [], variants: [], inventoryItems: [], levels: [] };
  for (let k = 1; k <= count; k++) {
    const seq = after + k;
    const productId = ID_BASE.product + CATALOG.length + k;
    const variantId = ID_BASE.variant + seq;
    const itemId = ID_BASE.inventoryItem + seq;
    const sku = `GEN-${String(k).padStart(6, '0')}`;
    out.products.push({
      id: productId,
      title: `Generated Item ${k}`,
      vendor: 'Acme Wholesale',
      productType: 'Generated',
      handle: `generated-item-${k}`,
      isGiftCard: false,
      createdAt,
      updatedAt: createdAt,
      variantIds: [variantId],
    });
    out.variants.push({
      id: variantId,
      productId,
      title: 'Default Title',
      sku,
      barcode: String(4_006_381_000_000 + seq),
      price: 1000 + (k % 50) * 100,
      inventoryItemId: itemId,
      createdAt,
      updatedAt: createdAt,
    });
    out.inventoryItems.push({
      id: itemId,
      variantId,
      sku,
      tracked: true,
      requiresShipping: true,
      createdAt,
      updatedAt: createdAt,
    });
    for (const locationId of [LOCATION_IDS.warehouse, LOCATION_IDS.acme3pl]) {
      out.levels.push({
        id: levelId(itemId, locationId),
        inventoryItemId: itemId,
        locationId,
        available: rng.int(0, 120),
        committed: 0,
        incoming: 0,
        reserved: 0,
        damaged: 0,
        updatedAt: createdAt,
      });
    }
  }
  return out;
}

/** Shopify's InventoryLevel id: `gid://shopify/InventoryLevel/{n}?inventory_item_id={item}`. */
export function levelId(itemId: number, locationId: number): string {
  return `${locationId}?inventory_item_id=${itemId}`;
}

const FIRST_NAMES = [
  'Ava',
  'Liam',
  'Noah',
  'Emma',
  'Mia',
  'Lucas',
  'Zoé',
  'Jonas',
  'Léa',
  'Oliver',
  'Chloé',
  'Mateo',
  'Hannah',
  'Ethan',
  'Sofia',
  'Ben',
];
const LAST_NAMES = [
  'Smith',
  'Nguyen',
  'Müller',
  'Garcia',
  'Tremblay',
  'Rossi',
  "O'Brien",
  'Kowalski',
  'Dubois',
  'Schmidt',
  'Brown',
  'Martin',
  'Roy',
  'Lee',
];
const US_CITIES: [string, string, string, string][] = [
  ['Austin', 'Texas', 'TX', '78701'],
  ['Portland', 'Oregon', 'OR', '97205'],
  ['Denver', 'Colorado', 'CO', '80202'],
  ['Chicago', 'Illinois', 'IL', '60601'],
  ['Miami', 'Florida', 'FL', '33101'],
];
const DE_CITIES: [string, string][] = [
  ['Berlin', '10115'],
  ['Hamburg', '20095'],
  ['München', '80331'],
];
const CA_CITIES: [string, string, string, string][] = [
  ['Toronto', 'Ontario', 'ON', 'M5V 2T6'],
  ['Montréal', 'Quebec', 'QC', 'H2Y 1C6'],
  ['Vancouver', 'British Columbia', 'BC', 'V6B 1A1'],
];

export type Market = 'US' | 'DE' | 'CA';

export interface SeedCustomer extends CustomerRecord {
  market: Market;
}

export function seedCustomers(seed: number, count: number): SeedCustomer[] {
  const customers: SeedCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const rng = Prng.derive(seed, 2, i);
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const market = rng.weighted<Market>([
      ['US', 75],
      ['DE', 15],
      ['CA', 10],
    ]);
    const street = `${rng.int(1, 999)} ${rng.pick(['Main St', 'Oak Ave', 'Pine Rd', 'Elm St', 'Lake Dr'])}`;
    const hasPhone = rng.chance(0.7);
    const phone = hasPhone
      ? market === 'DE'
        ? `+49301234${String(5000 + (i % 5000)).padStart(4, '0')}`
        : `+1555${String(1000000 + (i % 9000000)).padStart(7, '0')}`
      : null;
    let addr: Address;
    if (market === 'US') {
      const [city, province, code, zip] = rng.pick(US_CITIES);
      addr = address(firstName, lastName, street, city, province, code, zip, 'United States', 'US', phone);
    } else if (market === 'DE') {
      const [city, zip] = rng.pick(DE_CITIES);
      addr = address(firstName, lastName, street, city, null, null, zip, 'Germany', 'DE', phone);
    } else {
      const [city, province, code, zip] = rng.pick(CA_CITIES);
      addr = address(firstName, lastName, street, city, province, code, zip, 'Canada', 'CA', phone);
    }
    if (rng.chance(0.15))
      addr.company = `${lastName} GmbH`.replace(' GmbH', market === 'DE' ? ' GmbH' : ' LLC');
    if (rng.chance(0.2)) addr.address2 = `Apt ${rng.int(1, 40)}`;
    const emailName = `${firstName}.${lastName}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '');
    customers.push({
      id: ID_BASE.customer + i + 1,
      firstName,
      lastName,
      email: rng.chance(0.95) ? `${emailName}${i + 1}@example.com` : null,
      phone,
      address: addr,
      market,
    });
  }
  return customers;
}

export const CURRENCY_BY_MARKET: Record<Market, { code: string; rate: number; tax: number }> = {
  US: { code: 'USD', rate: 1, tax: 0.08 },
  DE: { code: 'EUR', rate: 0.92, tax: 0.19 },
  CA: { code: 'CAD', rate: 1.36, tax: 0.13 },
};

const SHIPPING: ShippingLineRecord[] = [
  { title: 'Standard Shipping', code: 'STANDARD', source: 'shopify', price: 599 },
  { title: 'Express', code: 'EXPRESS', source: 'shopify', price: 1499 },
  { title: 'Free Shipping', code: 'FREE', source: 'shopify', price: 0 },
  { title: 'Acme Freight', code: 'acme-freight-ground', source: 'acme-3pl', price: 899 },
];

const FINANCIAL_WEIGHTS: (readonly [FinancialStatus, number])[] = [
  ['PAID', 60],
  ['PENDING', 7],
  ['AUTHORIZED', 8],
  ['PARTIALLY_PAID', 4],
  ['PARTIALLY_REFUNDED', 6],
  ['REFUNDED', 5],
  ['VOIDED', 4],
  ['EXPIRED', 3],
];
const FULFILLMENT_WEIGHTS: (readonly [FulfillmentStatus, number])[] = [
  ['UNFULFILLED', 46],
  ['FULFILLED', 22],
  ['PARTIALLY_FULFILLED', 10],
  ['ON_HOLD', 4],
  ['IN_PROGRESS', 5],
  ['SCHEDULED', 3],
  ['OPEN', 2],
  ['PENDING_FULFILLMENT', 3],
  ['RESTOCKED', 2],
  ['REQUEST_DECLINED', 3],
];

/** Sequential id allocators; seeding and later mutations share them so ids never collide. */
export class IdSequence {
  private readonly next = new Map<keyof typeof ID_BASE, number>();

  take(kind: keyof typeof ID_BASE): number {
    const n = (this.next.get(kind) ?? 0) + 1;
    this.next.set(kind, n);
    return ID_BASE[kind] + n;
  }
}

export interface OrderSeedContext {
  seed: number;
  now: number;
  variants: VariantRecord[];
  products: Map<number, ProductRecord>;
  items: Map<number, InventoryItemRecord>;
  /** `${itemId}:${locationId}` keys of stocked levels. */
  stocked: Set<string>;
  customers: SeedCustomer[];
  ids: IdSequence;
  /** Variants that ship (not gift cards) and gift-card variants. */
  shippable: VariantRecord[];
  giftCards: VariantRecord[];
}

export interface SeededOrder {
  order: OrderRecord;
  fulfillmentOrders: FulfillmentOrderRecord[];
  fulfillments: FulfillmentRecord[];
}

/**
 * Builds order number `index` (0-based). `forced` pins statuses so small stores still show
 * every status. The order's own PRNG stream depends only on (seed, index).
 */
export function seedOrder(
  ctx: OrderSeedContext,
  index: number,
  createdAt: number,
  forced: { financial?: FinancialStatus; fulfillment?: FulfillmentStatus; cancelled?: boolean } = {},
): SeededOrder {
  const rng = Prng.derive(ctx.seed, 3, index);
  const { ids } = ctx;
  const orderId = ids.take('order');
  const number = 1001 + index;
  const customer = rng.chance(0.93) ? rng.pick(ctx.customers) : null;
  const market: Market = customer?.market ?? 'US';
  const currency = CURRENCY_BY_MARKET[market];

  const giftCardOnly = rng.chance(0.03);
  const lineCount = giftCardOnly
    ? 1
    : rng.weighted([
        [1, 40],
        [2, 30],
        [3, 18],
        [4, 8],
        [6, 4],
      ] as const);
  const lineItems: LineItemRecord[] = [];
  const usedVariants = new Set<number>();
  const { shippable, giftCards } = ctx;
  for (let l = 0; l < lineCount; l++) {
    const wantGift = giftCardOnly || rng.chance(0.04);
    const variant = rng.pick(wantGift ? giftCards : shippable);
    if (usedVariants.has(variant.id)) continue;
    usedVariants.add(variant.id);
    const product = ctx.products.get(variant.productId);
    const isGiftCard = product?.isGiftCard === true;
    const quantity = isGiftCard
      ? 1
      : rng.weighted([
          [1, 70],
          [2, 20],
          [3, 7],
          [5, 3],
        ] as const);
    const unitDiscount = rng.chance(0.15) ? Math.round(variant.price * 0.1) : 0;
    lineItems.push({
      id: ids.take('lineItem'),
      variantId: variant.id,
      productId: variant.productId,
      title: product?.title ?? 'Item',
      variantTitle: variant.title === 'Default Title' ? null : variant.title,
      sku: variant.sku,
      vendor: product?.vendor ?? 'Acme',
      quantity,
      unitPrice: variant.price,
      unitDiscount,
      requiresShipping: !isGiftCard,
      isGiftCard,
      taxable: !isGiftCard,
    });
  }
  const shipsAnything = lineItems.some((li) => li.requiresShipping);

  let financialStatus = forced.financial ?? rng.weighted(FINANCIAL_WEIGHTS);
  let fulfillmentStatus = forced.fulfillment ?? rng.weighted(FULFILLMENT_WEIGHTS);
  const cancelled = forced.cancelled ?? rng.chance(0.05);
  let cancelReason: CancelReason | null = null;
  if (cancelled) {
    cancelReason = rng.pick(CANCEL_REASONS);
    if (forced.financial === undefined) financialStatus = rng.pick(['REFUNDED', 'VOIDED'] as const);
    if (forced.fulfillment === undefined) fulfillmentStatus = 'UNFULFILLED';
  }
  if (fulfillmentStatus === 'RESTOCKED' && forced.financial === undefined) financialStatus = 'REFUNDED';

  const processedAt = createdAt;
  // The last change, up to five days after creation; one that would fall after now is folded back
  // into the time since creation, so recent orders do not all share one updatedAt (no store's
  // history piles up on a single second).
  const touched = createdAt + rng.int(0, 5) * DAY + rng.int(0, 86_399) * 1000;
  const lastTouch =
    touched < ctx.now - 1000
      ? touched
      : createdAt + ((touched - createdAt) % Math.max(1000, ctx.now - 1000 - createdAt));
  const updatedAt = wholeSeconds(Math.max(createdAt, lastTouch));
  const cancelledAt = cancelled ? wholeSeconds(Math.max(createdAt, updatedAt - 1000)) : null;

  const order: OrderRecord = {
    id: orderId,
    number,
    name: `#${number}`,
    createdAt,
    updatedAt,
    processedAt,
    cancelledAt,
    cancelReason,
    closedAt: null,
    test: rng.chance(0.03),
    email: customer?.email ?? null,
    phone: customer?.phone ?? null,
    note: rng.chance(0.1) ? 'Please leave at the back door.' : null,
    tags: rng.chance(0.2) ? [rng.pick(['vip', 'wholesale', 'gift', 'repeat'])] : [],
    customer,
    shippingAddress: shipsAnything && customer ? customer.address : null,
    billingAddress: customer ? customer.address : null,
    shippingLine: shipsAnything ? rng.pick(SHIPPING) : null,
    presentmentCurrency: currency.code,
    presentmentRate: currency.rate,
    taxRate: currency.tax,
    financialStatus,
    fulfillmentStatus,
    lineItems,
    fulfillmentOrderIds: [],
    fulfillmentIds: [],
  };

  // Route each line to a location: the 3PL when it stocks the item (most of the time), else the
  // warehouse, sometimes the store. Gift cards ride with the warehouse's fulfillment order.
  const byLocation = new Map<number, LineItemRecord[]>();
  for (const li of lineItems) {
    const item = li.variantId === null ? undefined : ctx.variants.find((v) => v.id === li.variantId);
    const itemId = item?.inventoryItemId ?? 0;
    let locationId: number = LOCATION_IDS.warehouse;
    if (!li.isGiftCard) {
      const roll = rng.next();
      if (roll < 0.55 && ctx.stocked.has(`${itemId}:${LOCATION_IDS.acme3pl}`))
        locationId = LOCATION_IDS.acme3pl;
      else if (roll > 0.85 && ctx.stocked.has(`${itemId}:${LOCATION_IDS.store}`))
        locationId = LOCATION_IDS.store;
    }
    const list = byLocation.get(locationId) ?? [];
    list.push(li);
    byLocation.set(locationId, list);
  }

  const fulfillmentOrders: FulfillmentOrderRecord[] = [];
  for (const [locationId, lines] of byLocation) {
    const isService = locationId === LOCATION_IDS.acme3pl;
    const fo: FulfillmentOrderRecord = {
      id: ids.take('fulfillmentOrder'),
      orderId,
      locationId,
      status: 'OPEN',
      requestStatus: isService ? 'SUBMITTED' : 'UNSUBMITTED',
      createdAt,
      updatedAt: createdAt,
      fulfillAt: createdAt,
      holds: [],
      lineItems: lines.map((li) => ({
        id: ids.take('fulfillmentOrderLineItem'),
        lineItemId: li.id,
        totalQuantity: li.quantity,
        remainingQuantity: li.quantity,
      })),
    };
    fulfillmentOrders.push(fo);
    order.fulfillmentOrderIds.push(fo.id);
  }

  const fulfillments: FulfillmentRecord[] = [];
  const fulfil = (fo: FulfillmentOrderRecord, partial: boolean): void => {
    const lines: { id: number; lineItemId: number; quantity: number }[] = [];
    fo.lineItems.forEach((foli, k) => {
      let qty = foli.remainingQuantity;
      if (partial) qty = k === 0 ? Math.max(0, foli.totalQuantity - 1) : 0;
      if (qty <= 0) return;
      foli.remainingQuantity -= qty;
      lines.push({ id: ids.take('fulfillmentLineItem'), lineItemId: foli.lineItemId, quantity: qty });
    });
    if (lines.length === 0) return;
    const at = wholeSeconds(Math.min(updatedAt, createdAt + DAY));
    const fulfillment: FulfillmentRecord = {
      id: ids.take('fulfillment'),
      orderId,
      locationId: fo.locationId,
      name: `${order.name}-F${order.fulfillmentIds.length + 1}`,
      status: 'SUCCESS',
      createdAt: at,
      updatedAt: at,
      trackingInfo: [
        {
          company: 'UPS',
          number: `1Z999AA1${String(orderId % 100_000_000).padStart(8, '0')}${fulfillments.length}`,
          url: null,
        },
      ],
      notifyCustomer: false,
      lineItems: lines,
      fulfillmentOrderIds: [fo.id],
    };
    fulfillments.push(fulfillment);
    order.fulfillmentIds.push(fulfillment.id);
    fo.updatedAt = at;
  };

  const first = fulfillmentOrders[0];
  const service = fulfillmentOrders.find((fo) => fo.locationId === LOCATION_IDS.acme3pl);
  if (cancelled) {
    for (const fo of fulfillmentOrders) {
      fo.status = 'CLOSED';
      if (fo.requestStatus === 'SUBMITTED') fo.requestStatus = 'CANCELLATION_ACCEPTED';
      for (const li of fo.lineItems) li.remainingQuantity = 0;
    }
    order.closedAt = cancelledAt;
  } else {
    switch (fulfillmentStatus) {
      case 'FULFILLED':
        for (const fo of fulfillmentOrders) {
          if (fo.requestStatus === 'SUBMITTED') fo.requestStatus = 'ACCEPTED';
          fulfil(fo, false);
          fo.status = 'CLOSED';
        }
        if (financialStatus === 'PAID') order.closedAt = updatedAt;
        break;
      case 'RESTOCKED':
        for (const fo of fulfillmentOrders) {
          fo.status = 'CLOSED';
          if (fo.requestStatus === 'SUBMITTED') fo.requestStatus = 'CLOSED';
          for (const li of fo.lineItems) li.remainingQuantity = 0;
        }
        break;
      case 'PARTIALLY_FULFILLED':
        if (first) {
          if (first.requestStatus === 'SUBMITTED') first.requestStatus = 'ACCEPTED';
          if (fulfillmentOrders.length > 1 && rng.chance(0.5)) {
            fulfil(first, false);
            first.status = 'CLOSED';
          } else {
            const firstLine = first.lineItems[0];
            // Make sure a partial split exists: at least 2 units on the first line.
            if (firstLine && firstLine.totalQuantity < 2) {
              const li = lineItems.find((l) => l.id === firstLine.lineItemId);
              if (li && !li.isGiftCard) {
                li.quantity = 2;
                firstLine.totalQuantity = 2;
                firstLine.remainingQuantity = 2;
              }
            }
            fulfil(first, true);
            first.status = 'IN_PROGRESS';
          }
        }
        break;
      case 'ON_HOLD':
        if (first) {
          first.status = 'ON_HOLD';
          first.holds.push({
            reason: rng.pick(['AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'OTHER']),
            reasonNotes: rng.chance(0.5) ? 'Held by staff' : null,
          });
        }
        break;
      case 'IN_PROGRESS':
        for (const fo of fulfillmentOrders) {
          fo.status = 'IN_PROGRESS';
          if (fo.requestStatus === 'SUBMITTED') fo.requestStatus = 'ACCEPTED';
        }
        break;
      case 'SCHEDULED':
        for (const fo of fulfillmentOrders) {
          fo.status = 'SCHEDULED';
          fo.fulfillAt = wholeSeconds(ctx.now + rng.int(2, 20) * DAY);
        }
        break;
      case 'REQUEST_DECLINED': {
        const target = service ?? first;
        if (target) {
          target.requestStatus = 'REJECTED';
        }
        break;
      }
      case 'PENDING_FULFILLMENT':
        for (const fo of fulfillmentOrders) fo.requestStatus = 'SUBMITTED';
        break;
      default:
        break;
    }
  }
  return { order, fulfillmentOrders, fulfillments };
}

/** Statuses pinned onto the newest orders so every status shows up even in a tiny store. */
export function coverageFor(k: number): {
  financial?: FinancialStatus;
  fulfillment?: FulfillmentStatus;
  cancelled?: boolean;
} {
  const financial = FINANCIAL_STATUSES[k % FINANCIAL_STATUSES.length];
  const fulfillment = FULFILLMENT_STATUSES[k % FULFILLMENT_STATUSES.length];
  return { financial, fulfillment, cancelled: k === 3 };
}

/** How many of the newest orders get pinned statuses. */
export const COVERAGE_COUNT = FULFILLMENT_STATUSES.length;

/** Creation times: ascending, spread over the 90 days before `now`, with jitter. */
export function orderTimes(seed: number, count: number, now: number): number[] {
  const rng = Prng.derive(seed, 4);
  const start = now - SEED_SPAN_DAYS * DAY;
  const step = (SEED_SPAN_DAYS * DAY) / Math.max(1, count);
  const times: number[] = [];
  let previous = 0;
  for (let i = 0; i < count; i++) {
    let t = wholeSeconds(start + i * step + rng.next() * step * 0.9);
    if (t <= previous) t = previous + 1000;
    if (t >= now) t = wholeSeconds(now - 1000);
    times.push(t);
    previous = t;
  }
  return times;
}
