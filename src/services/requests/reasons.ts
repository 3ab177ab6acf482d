/** Shopify's reasons for rejecting a fulfillment request (kept free of imports: `--help` renders them). */
export const REJECTION_REASONS = [
  'INCORRECT_ADDRESS',
  'INVENTORY_OUT_OF_STOCK',
  'INELIGIBLE_PRODUCT',
  'UNDELIVERABLE_DESTINATION',
  'OTHER',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
