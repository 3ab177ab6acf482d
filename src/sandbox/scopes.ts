/**
 * Every access scope the sandbox grants to its ready-made token: the scopes dsync needs
 * (NOTES.md "Scopes dsync needs") plus `read_all_orders`, and the merchant's side (changing
 * orders, editing them, returns), so tests and scripts can change the store as a merchant's app does.
 * Sorted, so printed lists are stable.
 */
export const ALL_SANDBOX_SCOPES: readonly string[] = [
  'read_all_orders',
  'read_assigned_fulfillment_orders',
  'read_fulfillments',
  'read_inventory',
  'read_locations',
  'read_merchant_managed_fulfillment_orders',
  'read_order_edits',
  'read_orders',
  'read_products',
  'read_returns',
  'read_third_party_fulfillment_orders',
  'write_assigned_fulfillment_orders',
  'write_inventory',
  'write_merchant_managed_fulfillment_orders',
  'write_order_edits',
  'write_orders',
  'write_returns',
  'write_third_party_fulfillment_orders',
];
