import {
  FINANCIAL_STATUSES,
  type FinancialStatus,
  readSettings,
  type SettingKey,
  type Settings,
  SETTING_KEYS,
  settingMeta,
} from '../../core/config/settings.js';
import { ACCEPT_ORDERS_AFTER_UNSET } from '../../core/config/setting-docs.js';
import { isDsyncError, UsageError } from '../../core/errors.js';
import type { Choice, Prompter } from '../../core/prompter.js';
import type { PreparedValue, SetResult, SettingsContext } from './settings.js';
import { prepareSetting, savePrepared } from './settings.js';
import { beyondWindowError, checkAcceptOrdersAfter } from './values.js';

/** Talk on stderr while the page runs. */
export interface PageTalk {
  info(message: string): void;
  warn(message: string): void;
}

export interface PageResult {
  shop: string;
  saved: SetResult[];
  /** False when the user declined to save at the end. */
  confirmed: boolean;
}

/** The `config set` lines equivalent to the page, for a non-terminal refusal. */
export function equivalentCommands(): string[] {
  return SETTING_KEYS.filter((k) => k !== 'api-version').map(
    (key) => `dsync config set ${key} ${settingMeta(key).example}`,
  );
}

export function refuseWithoutTerminal(): UsageError {
  return new UsageError(
    'the settings page needs a terminal (stdin and stdout a TTY, no --no-input, DSYNC_NO_INPUT or CI)',
    {
      hint: `set each value instead, e.g.:\n  ${equivalentCommands().join('\n  ')}\n(see \`dsync config --help\` and \`dsync config list\`)`,
    },
  );
}

/** The secrets the page offers to set, in order, with the words it uses for each. */
const SECRET_QUESTIONS: { key: SettingKey; label: string }[] = [
  { key: 'return-magic-api-key', label: 'Return Magic API key' },
  { key: 'webhook-secret', label: 'webhook signing secret' },
];

const BOOLEAN_QUESTIONS: { key: SettingKey; prop: keyof Settings; question: string }[] = [
  {
    key: 'filter-by-location',
    prop: 'filterByLocation',
    question: 'Accept only orders assigned to the fulfillment location?',
  },
  {
    key: 'exclude-empty-orders',
    prop: 'excludeEmptyOrders',
    question: 'Skip orders left with no line items after filtering?',
  },
  {
    key: 'use-local-currency',
    prop: 'useLocalCurrency',
    question: "Use the buyer's (presentment) currency instead of the shop's?",
  },
  {
    key: 'include-duplicate-skus',
    prop: 'includeDuplicateSkus',
    question: 'Inventory push: update every variant sharing a SKU?',
  },
  {
    key: 'include-partial-fulfillments',
    prop: 'includePartialFulfillments',
    question: 'Also import partially fulfilled orders (remaining lines only)?',
  },
  {
    key: 'accept-fulfillment-requests',
    prop: 'acceptFulfillmentRequests',
    question: "Accept the fulfillment service's requests for the orders the import delivered?",
  },
  {
    key: 'notify-customer',
    prop: 'notifyCustomer',
    question: 'Let Shopify email tracking to the customer on shipment export?',
  },
];

/**
 * The interactive settings page: every question shows the current value as its default, and
 * nothing is written until the user confirms at the end.
 */
export async function runSettingsPage(
  ctx: SettingsContext,
  prompter: Prompter,
  talk: PageTalk,
): Promise<PageResult> {
  const profile = ctx.config.getProfile(ctx.shop);
  const current = readSettings(profile, ctx.config.path);
  const changes: PreparedValue[] = [];

  talk.info(`Settings for ${ctx.shop}; nothing is saved until you confirm at the end.`);
  talk.info('Loading locations and fulfillment services…');
  const live = await ctx.live();
  const [locations, services] = await Promise.all([live.locations(), live.fulfillmentServices()]);

  // Fulfillment location: active ones only (an inactive location is refused on set).
  const active = locations.filter((l) => l.isActive);
  if (active.length === 0) {
    talk.warn('the store has no active location; fulfillment-location stays as it is');
  } else {
    const choices: Choice<string>[] = active.map((l) => ({
      name: `${l.name}${l.isFulfillmentService ? ` [service: ${l.fulfillmentService?.handle ?? '?'}]` : ''}${l.fulfillsOnlineOrders ? '' : ' (no online orders)'}`,
      value: l.id,
      description: l.id,
    }));
    const currentId = active.some((l) => l.id === current.fulfillmentLocation)
      ? current.fulfillmentLocation
      : undefined;
    const picked = await prompter.select('Fulfillment location (where the 3PL ships from):', choices, {
      ...(currentId ? { default: currentId } : {}),
    });
    if (picked !== current.fulfillmentLocation) {
      const prepared = await prepareSetting(ctx, 'fulfillment-location', picked);
      for (const warning of prepared.warnings) talk.warn(warning);
      changes.push(prepared);
    }
  }

  // Fulfillment service: all, or one of the store's services.
  const serviceChoices: Choice<string>[] = [
    { name: 'all (every line item, whatever its service)', value: 'all' },
    ...services.map((s) => ({
      name: `${s.handle} — ${s.serviceName}${s.location ? ` @ ${s.location.name}` : ''}`,
      value: s.handle,
    })),
  ];
  const serviceDefault = serviceChoices.some((c) => c.value === current.fulfillmentService)
    ? current.fulfillmentService
    : 'all';
  const service = await prompter.select('Fulfillment service (import only its line items):', serviceChoices, {
    default: serviceDefault,
  });
  if (service !== current.fulfillmentService)
    changes.push(await prepareSetting(ctx, 'fulfillment-service', service));

  for (const q of BOOLEAN_QUESTIONS) {
    const value = current[q.prop] as boolean;
    const answer = await prompter.confirm(q.question, { default: value });
    if (answer !== value) changes.push({ key: q.key, value: answer, warnings: [] });
  }

  // Financial statuses: at least one.
  let statuses: FinancialStatus[] = [];
  for (;;) {
    statuses = await prompter.checkbox(
      'Financial statuses to import (space toggles, enter confirms):',
      FINANCIAL_STATUSES.map((s) => ({ name: s, value: s, checked: current.financialStatus.includes(s) })),
    );
    if (statuses.length > 0) break;
    talk.warn('choose at least one financial status');
  }
  if (JSON.stringify(statuses) !== JSON.stringify(current.financialStatus))
    changes.push({ key: 'financial-status', value: statuses, warnings: [] });

  // Accept orders after: ISO date or window; empty keeps it unset.
  const sinceDefault = current.acceptOrdersAfter?.text ?? '';
  for (;;) {
    const text = (
      await prompter.input(
        `Accept orders created after (ISO date or 30d; empty = ${ACCEPT_ORDERS_AFTER_UNSET}):`,
        {
          default: sinceDefault,
          validate: (value) => {
            if (value.trim() === '') return true;
            try {
              checkAcceptOrdersAfter(value, ctx.now);
              return true;
            } catch (error) {
              return isDsyncError(error) ? error.message : String(error);
            }
          },
        },
      )
    ).trim();
    if (text === '' || text === sinceDefault) break;
    const check = checkAcceptOrdersAfter(text, ctx.now);
    if (check.beyondWindow && !(await live.grantedScopes()).includes('read_all_orders')) {
      const refusal = beyondWindowError(text, check);
      talk.warn(`${refusal.message}\n  ${refusal.hint ?? ''}`);
      continue;
    }
    changes.push({ key: 'accept-orders-after', value: check.value, warnings: [] });
    break;
  }

  // Secrets: only when asked for, never echoed.
  for (const { key, label } of SECRET_QUESTIONS) {
    let state: 'set' | 'not set' | 'unknown' = 'unknown';
    const name = settingMeta(key).secret;
    try {
      if (name) state = (await (await ctx.secrets()).get(ctx.shop, name)) === undefined ? 'not set' : 'set';
    } catch (error) {
      talk.warn(`cannot read the ${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (
      await prompter.confirm(`${state === 'set' ? 'Replace' : 'Set'} the ${label} (${state})?`, {
        default: false,
      })
    ) {
      const value = await prompter.password(`${label}:`);
      if (value.trim() !== '') changes.push({ key, value: value.trim(), warnings: [] });
    }
  }

  if (changes.length === 0) {
    talk.info('Nothing changed.');
    return { shop: ctx.shop, saved: [], confirmed: true };
  }
  talk.info('Changes:');
  for (const c of changes) {
    const shown = settingMeta(c.key).secret
      ? '(new value, not shown)'
      : c.resolvedName
        ? `${c.resolvedName} (${c.value})`
        : Array.isArray(c.value)
          ? c.value.join(',')
          : String(c.value);
    talk.info(`  ${c.key} = ${shown}`);
  }
  if (!(await prompter.confirm('Save these settings?', { default: true }))) {
    talk.info('Not saved.');
    return { shop: ctx.shop, saved: [], confirmed: false };
  }
  const saved = await savePrepared(ctx, changes);
  return { shop: ctx.shop, saved, confirmed: true };
}
