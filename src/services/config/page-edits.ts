import {
  FINANCIAL_STATUSES,
  type FinancialStatus,
  type SETTING_DOCS,
  type SettingKey,
  settingMeta,
} from '../../core/config/settings.js';
import { ACCEPT_ORDERS_AFTER_UNSET } from '../../core/config/setting-docs.js';
import { isDsyncError } from '../../core/errors.js';
import type { Choice, Prompter } from '../../core/prompter.js';
import { type PageState, pendingValues, valueNow } from './page-state.js';
import { type PreparedValue, prepareSetting, type SettingsContext } from './settings.js';
import { beyondWindowError, checkAcceptOrdersAfter, parseApiVersion } from './values.js';

/** Talk on stderr while the page runs. */
export interface PageTalk {
  info(message: string): void;
  warn(message: string): void;
}

type KeyOfKind<K> = { [P in SettingKey]: (typeof SETTING_DOCS)[P]['kind'] extends K ? P : never }[SettingKey];

/** The question for each yes/no setting (the compiler asks for one per boolean key). */
const BOOLEAN_QUESTIONS: Record<KeyOfKind<'boolean'>, string> = {
  'filter-by-location': 'Accept only orders assigned to the fulfillment location?',
  'exclude-empty-orders': 'Skip orders left with no line items after filtering?',
  'use-local-currency': "Use the buyer's (presentment) currency instead of the shop's?",
  'include-duplicate-skus': 'Inventory push: update every variant sharing a SKU?',
  'include-partial-fulfillments': 'Also import partially fulfilled orders (remaining lines only)?',
  'accept-fulfillment-requests':
    "Accept the fulfillment service's requests for the orders the import delivered?",
  'notify-customer': 'Let Shopify email tracking to the customer on shipment export?',
};

/** The words each secret goes by. */
const SECRET_LABELS: Record<KeyOfKind<'secret'>, string> = {
  'return-magic-api-key': 'Return Magic API key',
  'webhook-secret': 'webhook signing secret',
};

/** For a prompt's validate: true when the check passes, else what it refused, in its words. */
function refusal(check: () => unknown): true | string {
  try {
    check();
    return true;
  } catch (error) {
    return isDsyncError(error) ? error.message : String(error);
  }
}

interface Edit {
  ctx: SettingsContext;
  prompter: Prompter;
  talk: PageTalk;
  state: PageState;
}

/**
 * Asks for one setting with the same questions and checks as `config set`, the live store only
 * for the keys that need it. Undefined when the user kept the value. Every question closes on Esc
 * (PromptEscaped); a refused value is a DsyncError for the caller to show.
 */
export async function editSetting(edit: Edit, key: SettingKey): Promise<PreparedValue | undefined> {
  const meta = settingMeta(key);
  switch (meta.kind) {
    case 'location':
      return editLocation(edit);
    case 'service':
      return editService(edit);
    case 'boolean':
      return editBoolean(edit, key as KeyOfKind<'boolean'>);
    case 'financial-statuses':
      return editFinancialStatus(edit);
    case 'since':
      return editAcceptOrdersAfter(edit);
    case 'api-version':
      return editApiVersion(edit);
    case 'secret':
      return editSecret(edit, key as KeyOfKind<'secret'>);
  }
}

async function editLocation({ ctx, prompter, talk, state }: Edit): Promise<PreparedValue | undefined> {
  talk.info(`Loading the locations of ${ctx.shop}…`);
  const locations = await (await ctx.live()).locations();
  // Active ones only: an inactive location is refused on set.
  const active = locations.filter((l) => l.isActive);
  if (active.length === 0) {
    talk.warn('the store has no active location; fulfillment-location stays as it is');
    return undefined;
  }
  const choices: Choice<string>[] = active.map((l) => ({
    name: `${l.name}${l.isFulfillmentService ? ` [service: ${l.fulfillmentService?.handle ?? '?'}]` : ''}${l.fulfillsOnlineOrders ? '' : ' (no online orders)'}`,
    value: l.id,
    description: l.id,
  }));
  const current = valueNow(state, 'fulfillment-location');
  const currentId = active.find((l) => l.id === current)?.id;
  const picked = await prompter.select('Fulfillment location (where the 3PL ships from):', choices, {
    ...(currentId ? { default: currentId } : {}),
    escape: true,
  });
  if (picked === current) return undefined;
  return prepareSetting(ctx, 'fulfillment-location', picked, pendingValues(state));
}

async function editService({ ctx, prompter, talk, state }: Edit): Promise<PreparedValue | undefined> {
  talk.info(`Loading the fulfillment services of ${ctx.shop}…`);
  const services = await (await ctx.live()).fulfillmentServices();
  const choices: Choice<string>[] = [
    { name: 'all (every line item, whatever its service)', value: 'all' },
    ...services.map((s) => ({
      name: `${s.handle} — ${s.serviceName}${s.location ? ` @ ${s.location.name}` : ''}`,
      value: s.handle,
    })),
  ];
  const current = valueNow(state, 'fulfillment-service');
  const picked = await prompter.select('Fulfillment service (import only its line items):', choices, {
    default: choices.some((c) => c.value === current) ? (current as string) : 'all',
    escape: true,
  });
  if (picked === current) return undefined;
  const prepared = await prepareSetting(ctx, 'fulfillment-service', picked, pendingValues(state));
  // The service's name is kept beside its handle, as a location's is beside its gid.
  const name = services.find((s) => s.handle === prepared.value)?.serviceName;
  return name ? { ...prepared, resolvedName: name } : prepared;
}

async function editBoolean(
  { prompter, state }: Edit,
  key: KeyOfKind<'boolean'>,
): Promise<PreparedValue | undefined> {
  const current = valueNow(state, key) === true;
  const answer = await prompter.confirm(BOOLEAN_QUESTIONS[key], { default: current, escape: true });
  return answer === current ? undefined : { key, value: answer, warnings: [] };
}

async function editFinancialStatus({ prompter, talk, state }: Edit): Promise<PreparedValue | undefined> {
  const current = valueNow(state, 'financial-status');
  const checked = Array.isArray(current) ? current : [];
  for (;;) {
    const statuses: FinancialStatus[] = await prompter.checkbox(
      'Financial statuses to import (space toggles, enter confirms):',
      FINANCIAL_STATUSES.map((s) => ({ name: s, value: s, checked: checked.includes(s) })),
      { escape: true },
    );
    if (statuses.length > 0) return { key: 'financial-status', value: statuses, warnings: [] };
    talk.warn('choose at least one financial status');
  }
}

async function editAcceptOrdersAfter({
  ctx,
  prompter,
  talk,
  state,
}: Edit): Promise<PreparedValue | undefined> {
  const current = valueNow(state, 'accept-orders-after');
  const since = typeof current === 'string' ? current : '';
  for (;;) {
    const text = (
      await prompter.input(
        `Accept orders created after (ISO date or 30d; empty = ${ACCEPT_ORDERS_AFTER_UNSET}):`,
        {
          default: since,
          validate: (value) => value.trim() === '' || refusal(() => checkAcceptOrdersAfter(value, ctx.now)),
          escape: true,
        },
      )
    ).trim();
    if (text === '' || text === since) return undefined;
    const check = checkAcceptOrdersAfter(text, ctx.now);
    // Only a date beyond the readable window needs the live store (the token's scopes).
    if (check.beyondWindow && !(await (await ctx.live()).grantedScopes()).includes('read_all_orders')) {
      const refusal = beyondWindowError(text, check);
      talk.warn(`${refusal.message}\n  ${refusal.hint ?? ''}`);
      continue;
    }
    return { key: 'accept-orders-after', value: check.value, warnings: [] };
  }
}

async function editApiVersion({ ctx, prompter, state }: Edit): Promise<PreparedValue | undefined> {
  const current = valueNow(state, 'api-version');
  const since = typeof current === 'string' ? current : '';
  const text = (
    await prompter.input(`Shopify Admin API version (${settingMeta('api-version').allowed}):`, {
      default: since,
      validate: (value) => refusal(() => parseApiVersion(value)),
      escape: true,
    })
  ).trim();
  if (text === '' || text === since) return undefined;
  return prepareSetting(ctx, 'api-version', text);
}

async function editSecret(
  { ctx, prompter }: Edit,
  key: KeyOfKind<'secret'>,
): Promise<PreparedValue | undefined> {
  const value = await prompter.password(`${SECRET_LABELS[key]} (empty keeps the current one):`, {
    escape: true,
  });
  if (value.trim() === '') return undefined;
  return prepareSetting(ctx, key, value);
}
