import type { LineItemRecord, OrderMoneyRecord, OrderRecord } from './model.js';

/** An order's totals in shop-currency cents. */
export interface OrderTotals {
  subtotal: number;
  discounts: number;
  shipping: number;
  tax: number;
  total: number;
}

/** Units of a line still on the order: ordered, less what edits removed and refunds took back. */
export function currentQuantityOf(order: OrderRecord, li: LineItemRecord): number {
  if (order.cancelledAt !== null) return 0;
  return Math.max(0, li.quantity - (li.removedQuantity ?? 0) - (li.refundedQuantity ?? 0));
}

/**
 * Totals over the quantities ordered (`original`) or over what remains on the order (`current`:
 * after edits and refunds, shipping less what was refunded).
 */
export function orderTotals(order: OrderRecord, which: 'original' | 'current' = 'original'): OrderTotals {
  let gross = 0;
  let discounts = 0;
  let taxable = 0;
  for (const li of order.lineItems) {
    const qty =
      which === 'original'
        ? li.quantity
        : li.quantity - (li.removedQuantity ?? 0) - (li.refundedQuantity ?? 0);
    gross += li.unitPrice * qty;
    discounts += li.unitDiscount * qty;
    if (li.taxable) taxable += (li.unitPrice - li.unitDiscount) * qty;
  }
  const subtotal = gross - discounts;
  let shipping = order.shippingLine?.price ?? 0;
  if (which === 'current') shipping = Math.max(0, shipping - (order.money?.shippingRefunded ?? 0));
  const tax = Math.round(taxable * order.taxRate);
  return { subtotal, discounts, shipping, tax, total: subtotal + shipping + tax };
}

/**
 * Money received and refunded. Until a change records it (`order.money`), it follows from the
 * seeded financial status: paid orders received their total, partially paid half of it,
 * partially refunded ones gave a third back.
 */
export function orderMoney(order: OrderRecord): OrderMoneyRecord {
  if (order.money) return order.money;
  const total = orderTotals(order).total;
  const status = order.financialStatus;
  const received =
    status === 'PAID' || status === 'PARTIALLY_REFUNDED' || status === 'REFUNDED'
      ? total
      : status === 'PARTIALLY_PAID'
        ? Math.round(total / 2)
        : 0;
  const refunded =
    status === 'REFUNDED' ? total : status === 'PARTIALLY_REFUNDED' ? Math.round(total / 3) : 0;
  return { received, refunded, shippingRefunded: 0, refundedOther: refunded };
}

/** The order's total after edits and refunds (nothing once cancelled). */
export function currentTotalOf(order: OrderRecord): number {
  if (order.cancelledAt !== null) return 0;
  return orderTotals(order, 'current').total - orderMoney(order).refundedOther;
}

/** The buyer still owes this much (never negative; nothing on cancelled, voided or expired orders). */
export function outstandingOf(order: OrderRecord): number {
  if (order.cancelledAt !== null) return 0;
  if (order.financialStatus === 'VOIDED' || order.financialStatus === 'EXPIRED') return 0;
  const { received, refunded } = orderMoney(order);
  return Math.max(0, currentTotalOf(order) - (received - refunded));
}

/** `$12.50`: how Shopify writes amounts in refund messages. */
export function dollars(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
