import { GraphQLError } from 'graphql';
import type { SandboxRequestContext } from '../context.js';
import type { LocationRecord, OrderRecord } from './model.js';

const DAY = 86_400_000;
/** Without `read_all_orders`, only orders created in this many days before now are visible. */
export const RECENT_ORDER_DAYS = 60;

/** A granted scope, where `write_x` implies `read_x` as on Shopify. */
export function hasScope(ctx: Pick<SandboxRequestContext, 'scopes'>, scope: string): boolean {
  if (ctx.scopes.has(scope)) return true;
  if (scope.startsWith('read_')) return ctx.scopes.has(`write_${scope.slice('read_'.length)}`);
  return false;
}

export function hasAnyScope(ctx: Pick<SandboxRequestContext, 'scopes'>, scopes: readonly string[]): boolean {
  return scopes.some((s) => hasScope(ctx, s));
}

/** Shopify's ACCESS_DENIED error for a field the token's scopes do not cover. */
export function accessDenied(field: string, requiredScopes: readonly string[]): GraphQLError {
  const requiredAccess = `${requiredScopes.map((s) => `\`${s}\``).join(' or ')} access scope${requiredScopes.length > 1 ? 's' : ''}.`;
  return new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: {
      code: 'ACCESS_DENIED',
      documentation: 'https://shopify.dev/api/usage/access-scopes',
      requiredAccess,
    },
  });
}

/** Throws ACCESS_DENIED unless one of `anyOf` is granted. */
export function requireScope(
  ctx: Pick<SandboxRequestContext, 'scopes'>,
  field: string,
  anyOf: readonly string[],
): void {
  if (!hasAnyScope(ctx, anyOf)) throw accessDenied(field, anyOf);
}

/** Whether an order is readable: orders older than 60 days need `read_all_orders`. */
export function orderVisible(
  ctx: Pick<SandboxRequestContext, 'scopes' | 'now'>,
  order: OrderRecord,
): boolean {
  if (hasScope(ctx, 'read_all_orders')) return true;
  return order.createdAt >= ctx.now.getTime() - RECENT_ORDER_DAYS * DAY;
}

/** Any of these lets an app query fulfillment orders (each one then shows only those it covers). */
export const FULFILLMENT_ORDERS_READ_SCOPES: readonly string[] = [
  'read_merchant_managed_fulfillment_orders',
  'read_third_party_fulfillment_orders',
  'read_assigned_fulfillment_orders',
];

/** The scopes that let an app see a fulfillment order at this location. */
export function fulfillmentOrderReadScopes(location: LocationRecord | undefined): string[] {
  if (location?.fulfillmentServiceHandle)
    return ['read_third_party_fulfillment_orders', 'read_assigned_fulfillment_orders'];
  return ['read_merchant_managed_fulfillment_orders'];
}

export function fulfillmentOrderWriteScopes(location: LocationRecord | undefined): string[] {
  if (location?.fulfillmentServiceHandle)
    return ['write_third_party_fulfillment_orders', 'write_assigned_fulfillment_orders'];
  return ['write_merchant_managed_fulfillment_orders'];
}

/**
 * Fulfillment orders the token cannot read are silently absent (Shopify's behaviour), decided by
 * who manages the location: merchant-managed vs a fulfillment service's (third-party/assigned).
 */
export function fulfillmentOrderVisible(
  ctx: Pick<SandboxRequestContext, 'scopes'>,
  location: LocationRecord | undefined,
): boolean {
  return hasAnyScope(ctx, fulfillmentOrderReadScopes(location));
}
