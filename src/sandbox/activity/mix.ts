/**
 * What the live store does, and how often. Weights are per 100 changes; a change whose target
 * does not exist right now (no on-hold fulfillment order to release, …) gives way to another
 * draw, so the realised mix leans a little towards new orders, which are always possible.
 */

export type ActivityAction =
  | 'create-order'
  | 'mark-paid'
  | 'change-address'
  | 'edit-quantity'
  | 'add-item'
  | 'hold'
  | 'release-hold'
  | 'move'
  | 'request-fulfillment'
  | 'request-cancellation'
  | 'cancel'
  | 'refund'
  | 'adjust-stock';

export const ACTIVITY_MIX: readonly (readonly [ActivityAction, number])[] = [
  ['create-order', 30], // orderCreate: paid and pending orders keep arriving
  ['mark-paid', 8], // orderMarkAsPaid: a pending payment is captured
  ['change-address', 8], // orderUpdate: the customer corrects the shipping address
  ['edit-quantity', 6], // orderEditBegin → orderEditSetQuantity → orderEditCommit
  ['add-item', 3], // orderEditBegin → orderEditAddVariant → orderEditCommit
  ['hold', 8], // fulfillmentOrderHold
  ['release-hold', 7], // fulfillmentOrderReleaseHold
  ['move', 5], // fulfillmentOrderMove: the work goes to another location
  ['request-fulfillment', 5], // fulfillmentOrderSubmitFulfillmentRequest to a fulfillment service
  ['request-cancellation', 2], // fulfillmentOrderSubmitCancellationRequest of accepted work
  ['cancel', 7], // orderCancel
  ['refund', 6], // refundCreate
  ['adjust-stock', 5], // inventoryAdjustQuantities
];

/** New orders: paid at checkout, or waiting for payment (bank transfer, cash on delivery). */
export const NEW_ORDER_FINANCIAL_STATUS: readonly (readonly ['PAID' | 'PENDING', number])[] = [
  ['PAID', 75],
  ['PENDING', 25],
];

export const CANCEL_REASONS: readonly (readonly [string, number])[] = [
  ['CUSTOMER', 45],
  ['INVENTORY', 15],
  ['FRAUD', 10],
  ['DECLINED', 10],
  ['STAFF', 10],
  ['OTHER', 10],
];

export const HOLD_REASONS: readonly (readonly [string, number])[] = [
  ['INCORRECT_ADDRESS', 30],
  ['INVENTORY_OUT_OF_STOCK', 20],
  ['AWAITING_PAYMENT', 20],
  ['HIGH_RISK_OF_FRAUD', 15],
  ['OTHER', 15],
];

export const HOLD_NOTES: Record<string, string> = {
  INCORRECT_ADDRESS: 'Checking the address with the customer',
  INVENTORY_OUT_OF_STOCK: 'Waiting for stock',
  AWAITING_PAYMENT: 'Waiting for the payment to clear',
  HIGH_RISK_OF_FRAUD: 'Reviewing a high fraud risk',
  OTHER: 'Customer asked us to wait',
};

/**
 * The order in which a tick tries actions: a weighted draw without replacement, so the first is
 * drawn by the mix and the rest are the fallbacks when it has no target.
 */
export function drawActions(
  next: () => number,
  mix: readonly (readonly [ActivityAction, number])[] = ACTIVITY_MIX,
): ActivityAction[] {
  const left = mix.filter(([, weight]) => weight > 0).map(([action, weight]) => ({ action, weight }));
  const order: ActivityAction[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, entry) => sum + entry.weight, 0);
    let r = next() * total;
    let k = left.findIndex((entry) => {
      r -= entry.weight;
      return r < 0;
    });
    if (k < 0) k = left.length - 1;
    const [entry] = left.splice(k, 1);
    if (entry) order.push(entry.action);
  }
  return order;
}
