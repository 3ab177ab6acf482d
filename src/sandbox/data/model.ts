/**
 * The sandbox store's records. Plain data; GraphQL shapes are built from them in views.ts.
 * Times are epoch milliseconds (whole seconds), formatted as ISO-8601 at the API edge.
 */

export const FINANCIAL_STATUSES = [
  'PENDING',
  'AUTHORIZED',
  'PARTIALLY_PAID',
  'PARTIALLY_REFUNDED',
  'VOIDED',
  'PAID',
  'REFUNDED',
  'EXPIRED',
] as const;
export type FinancialStatus = (typeof FINANCIAL_STATUSES)[number];

export const FULFILLMENT_STATUSES = [
  'UNFULFILLED',
  'PARTIALLY_FULFILLED',
  'FULFILLED',
  'RESTOCKED',
  'PENDING_FULFILLMENT',
  'OPEN',
  'IN_PROGRESS',
  'ON_HOLD',
  'SCHEDULED',
  'REQUEST_DECLINED',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export type FulfillmentOrderStatus =
  | 'OPEN'
  | 'IN_PROGRESS'
  | 'CANCELLED'
  | 'INCOMPLETE'
  | 'CLOSED'
  | 'SCHEDULED'
  | 'ON_HOLD';
export type RequestStatus =
  | 'UNSUBMITTED'
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'CANCELLATION_REQUESTED'
  | 'CANCELLATION_ACCEPTED'
  | 'CANCELLATION_REJECTED'
  | 'CLOSED';

export const CANCEL_REASONS = ['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface Address {
  firstName: string;
  lastName: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  zip: string;
  country: string;
  countryCode: string;
  phone: string | null;
}

export interface LocationRecord {
  id: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  shipsInventory: boolean;
  /** Handle of the fulfillment service this location belongs to, if any. */
  fulfillmentServiceHandle: string | null;
  address: Address;
  createdAt: number;
}

export interface FulfillmentServiceRecord {
  id: number;
  handle: string;
  serviceName: string;
  callbackUrl: string | null;
  inventoryManagement: boolean;
  trackingSupport: boolean;
  permitsSkuSharing: boolean;
  type: 'GIFT_CARD' | 'MANUAL' | 'THIRD_PARTY';
  locationId: number | null;
}

export interface ProductRecord {
  id: number;
  title: string;
  vendor: string;
  productType: string;
  handle: string;
  isGiftCard: boolean;
  createdAt: number;
  updatedAt: number;
  variantIds: number[];
}

export interface VariantRecord {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  /** Price in shop-currency cents. */
  price: number;
  inventoryItemId: number;
  createdAt: number;
  updatedAt: number;
}

export interface InventoryItemRecord {
  id: number;
  variantId: number;
  sku: string | null;
  tracked: boolean;
  requiresShipping: boolean;
  createdAt: number;
  updatedAt: number;
}

/** Named quantities of one item at one location (`available`, `on_hand`, `committed`, ...). */
export interface InventoryLevelRecord {
  id: string;
  inventoryItemId: number;
  locationId: number;
  available: number;
  committed: number;
  incoming: number;
  reserved: number;
  damaged: number;
  /** Units set aside for quality checks and as a safety buffer (0 unless adjusted). */
  qualityControl?: number;
  safetyStock?: number;
  updatedAt: number;
}

/** Shopify's `on_hand`: every state a unit physically in the building can be in. */
export function onHandOf(level: InventoryLevelRecord): number {
  return (
    level.available +
    level.committed +
    level.reserved +
    level.damaged +
    (level.qualityControl ?? 0) +
    (level.safetyStock ?? 0)
  );
}

export interface LineItemRecord {
  id: number;
  variantId: number | null;
  productId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string;
  quantity: number;
  /** Shop-currency cents per unit before discounts. */
  unitPrice: number;
  /** Shop-currency cents of discount per unit. */
  unitDiscount: number;
  requiresShipping: boolean;
  isGiftCard: boolean;
  taxable: boolean;
  /**
   * Units taken off the order by committed order edits, and units refunded. `quantity` stays the
   * quantity ordered (or added by an edit), as on Shopify; `currentQuantity` is what remains.
   */
  removedQuantity?: number;
  refundedQuantity?: number;
}

export interface FulfillmentOrderLineItemRecord {
  id: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface FulfillmentHoldRecord {
  /** Set for holds placed through the API; seeded holds are numbered by position. */
  id?: number;
  handle?: string | null;
  reason: string;
  reasonNotes: string | null;
}

/** A request the merchant sent a fulfillment service (`FulfillmentOrderMerchantRequest`). */
export interface MerchantRequestRecord {
  id: number;
  kind: 'FULFILLMENT_REQUEST' | 'CANCELLATION_REQUEST';
  message: string | null;
  requestOptions: Record<string, unknown>;
  sentAt: number;
}

export interface FulfillmentOrderRecord {
  id: number;
  orderId: number;
  locationId: number;
  status: FulfillmentOrderStatus;
  requestStatus: RequestStatus;
  createdAt: number;
  updatedAt: number;
  fulfillAt: number | null;
  holds: FulfillmentHoldRecord[];
  lineItems: FulfillmentOrderLineItemRecord[];
  merchantRequests?: MerchantRequestRecord[];
}

export interface TrackingInfoRecord {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface FulfillmentRecord {
  id: number;
  orderId: number;
  locationId: number;
  name: string;
  status: 'SUCCESS' | 'CANCELLED' | 'ERROR' | 'FAILURE' | 'OPEN' | 'PENDING';
  createdAt: number;
  updatedAt: number;
  trackingInfo: TrackingInfoRecord[];
  notifyCustomer: boolean;
  lineItems: { id: number; lineItemId: number; quantity: number }[];
  fulfillmentOrderIds: number[];
}

export interface CustomerRecord {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  address: Address;
}

export interface ShippingLineRecord {
  title: string;
  code: string;
  source: string;
  /** Shop-currency cents. */
  price: number;
}

export type RestockType = 'RETURN' | 'CANCEL' | 'LEGACY_RESTOCK' | 'NO_RESTOCK';

export interface RefundLineItemRecord {
  id: number;
  lineItemId: number;
  quantity: number;
  restockType: RestockType;
  restocked: boolean;
  locationId: number | null;
}

export interface RefundRecord {
  id: number;
  createdAt: number;
  note: string | null;
  /** Shop-currency cents of money returned to the buyer. */
  amount: number;
  /** Shop-currency cents of shipping refunded. */
  shipping: number;
  lineItems: RefundLineItemRecord[];
}

/**
 * Money received and refunded, in shop-currency cents. Seeded orders leave it unset and their
 * amounts follow from `financialStatus`; the first change that moves money records it.
 */
export interface OrderMoneyRecord {
  received: number;
  refunded: number;
  /** Shipping refunded, in cents (leaves the current shipping total). */
  shippingRefunded: number;
  /**
   * Money refunded beyond the value of the items and shipping taken back (a goodwill refund); it
   * comes off the current total too.
   */
  refundedOther: number;
}

/** An order edit in progress (`CalculatedOrder`): staged changes, applied only on commit. */
export interface OrderEditRecord {
  id: number;
  orderId: number;
  createdAt: number;
  /** Line item id → the staged current quantity (and whether removed units go back to stock). */
  quantities: Map<number, { quantity: number; restock: boolean }>;
  added: { key: string; variantId: number; quantity: number; locationId: number | null }[];
  committed: boolean;
}

export interface OrderRecord {
  id: number;
  number: number;
  name: string;
  createdAt: number;
  updatedAt: number;
  processedAt: number;
  cancelledAt: number | null;
  cancelReason: CancelReason | null;
  closedAt: number | null;
  test: boolean;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  /** Customers are shared across orders (repeat buyers); their address is the shipping address. */
  customer: CustomerRecord | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  shippingLine: ShippingLineRecord | null;
  /** The buyer's currency (`presentmentCurrencyCode`). The shop currency is the store's. */
  presentmentCurrency: string;
  /** Shop currency → presentment currency multiplier. */
  presentmentRate: number;
  /** Tax rate applied to the subtotal, e.g. 0.08. */
  taxRate: number;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  lineItems: LineItemRecord[];
  fulfillmentOrderIds: number[];
  fulfillmentIds: number[];
  money?: OrderMoneyRecord;
  refunds?: RefundRecord[];
  /** Returns on the order, oldest first (absent = none). */
  returnIds?: number[];
  /** `Order.returnStatus`, derived from the returns on every change (absent = NO_RETURN). */
  returnStatus?: OrderReturnStatus;
}

// ---- returns -------------------------------------------------------------------------------------

export const RETURN_STATUSES = ['REQUESTED', 'OPEN', 'CLOSED', 'CANCELED', 'DECLINED'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** `OrderReturnStatus`: the order's returns summed up. */
export const ORDER_RETURN_STATUSES = [
  'NO_RETURN',
  'RETURN_REQUESTED',
  'IN_PROGRESS',
  'INSPECTION_COMPLETE',
  'RETURNED',
  'RETURN_FAILED',
] as const;
export type OrderReturnStatus = (typeof ORDER_RETURN_STATUSES)[number];

export const RETURN_REASONS = [
  'SIZE_TOO_SMALL',
  'SIZE_TOO_LARGE',
  'UNWANTED',
  'NOT_AS_DESCRIBED',
  'WRONG_ITEM',
  'DEFECTIVE',
  'STYLE',
  'COLOR',
  'OTHER',
  'UNKNOWN',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export type ReturnDeclineReason = 'RETURN_PERIOD_ENDED' | 'FINAL_SALE' | 'OTHER';
export type ReverseFulfillmentOrderStatus = 'OPEN' | 'CLOSED' | 'CANCELED';

export const DISPOSITION_TYPES = ['RESTOCKED', 'PROCESSING_REQUIRED', 'NOT_RESTOCKED', 'MISSING'] as const;
export type DispositionType = (typeof DISPOSITION_TYPES)[number];

export interface ReturnLineItemRecord {
  id: number;
  /** The FulfillmentLineItem returned, and its order line. */
  fulfillmentLineItemId: number;
  lineItemId: number;
  quantity: number;
  returnReason: ReturnReason;
  returnReasonNote: string;
  customerNote: string | null;
}

export interface DispositionRecord {
  id: number;
  type: DispositionType;
  quantity: number;
  locationId: number | null;
}

export interface ReverseFulfillmentOrderLineItemRecord {
  id: number;
  returnLineItemId: number;
  fulfillmentLineItemId: number;
  lineItemId: number;
  totalQuantity: number;
  dispositions: DispositionRecord[];
}

export interface ReverseDeliveryRecord {
  id: number;
  reverseFulfillmentOrderId: number;
  createdAt: number;
  updatedAt: number;
  tracking: { number: string | null; url: string | null; carrierName: string | null } | null;
  label: { fileUrl: string; createdAt: number; updatedAt: number } | null;
  lineItems: { id: number; reverseFulfillmentOrderLineItemId: number; quantity: number }[];
}

/** The work of taking a return's items back (`ReverseFulfillmentOrder`). */
export interface ReverseFulfillmentOrderRecord {
  id: number;
  returnId: number;
  orderId: number;
  status: ReverseFulfillmentOrderStatus;
  lineItems: ReverseFulfillmentOrderLineItemRecord[];
  deliveries: ReverseDeliveryRecord[];
}

export interface ReturnRecord {
  id: number;
  orderId: number;
  /** `#1001-R1`: the order's name and the return's number on the order. */
  name: string;
  status: ReturnStatus;
  requestedAt: number;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  lineItems: ReturnLineItemRecord[];
  reverseFulfillmentOrders: ReverseFulfillmentOrderRecord[];
  decline: { reason: ReturnDeclineReason; note: string | null } | null;
}

export type BulkStatus =
  | 'CREATED'
  | 'RUNNING'
  | 'COMPLETED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED'
  | 'EXPIRED';

export interface BulkOperationRecord {
  id: number;
  /** Who owns it (the calling app's token). */
  owner: string;
  query: string;
  status: BulkStatus;
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** Path of the JSONL file on disk while it exists. */
  filePath: string | null;
  /** Whether `url` (complete) or `partialDataUrl` (failed) is handed out. */
  hasUrl: boolean;
  hasPartialUrl: boolean;
  /** Origin the URLs point at (the sandbox's own). */
  origin: string;
  /** A fault: it stays RUNNING, writing nothing, until cancelled. */
  stuck?: boolean;
}
