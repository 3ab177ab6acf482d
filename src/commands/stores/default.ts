import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { normalizeShop } from '../../core/shop.js';
import { setDefaultStore } from '../../services/auth/stores.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps, args) => {
  const out = createOutput(deps);
  const given = args[0];
  if (!given) throw new UsageError('which store?', { hint: 'e.g. dsync stores default acme' });
  const shop = normalizeShop(given);
  const stores = await setDefaultStore(deps, shop);
  out.result({ default: shop, stores }, () => `${shop} is the default store`);
};
