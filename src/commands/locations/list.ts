import type { ConfigStore } from '../../core/config/store.js';
import { createOutput } from '../../core/output.js';
import { renderTable } from '../../core/table.js';
import { connectStore } from '../../services/connect.js';
import { fetchLocations, locationRows } from '../../services/locations/list.js';
import type { CommandRun } from '../define.js';

/** The configured value as stored, without failing the listing on some other bad setting. */
export function storedSetting(config: ConfigStore, shop: string, key: string): string | undefined {
  const value = config.getProfile(shop)?.settings[key];
  return typeof value === 'string' ? value : undefined;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const { shop, client } = await connectStore(deps);
  const configured = storedSetting(await deps.config(), shop, 'fulfillment-location');
  const rows = locationRows(await fetchLocations(client, deps.signal), configured);
  out.result({ shop, locations: rows }, () => {
    const p = out.paint;
    const table = renderTable(
      [
        { header: '', value: (r) => (r.configured ? '*' : '') },
        { header: 'NAME', value: (r) => r.name },
        { header: 'ID', value: (r) => r.id },
        { header: 'ACTIVE', value: (r) => yesNo(r.active) },
        { header: 'ONLINE ORDERS', value: (r) => yesNo(r.fulfillsOnlineOrders) },
        { header: 'SHIPS INVENTORY', value: (r) => yesNo(r.shipsInventory) },
        { header: 'FULFILLMENT SERVICE', value: (r) => r.fulfillmentService ?? '' },
      ],
      rows,
      (s) => p.bold(s),
    )
      .split('\n')
      .map((line, i) => {
        const row = i > 0 ? rows[i - 1] : undefined;
        if (row?.configured) return p.green.bold(line);
        if (row && !row.active) return p.dim(line);
        return line;
      })
      .join('\n');
    return rows.length === 0 ? `${shop} has no locations` : table;
  });
  if (!out.json && rows.length > 0) {
    out.hint(
      configured
        ? rows.some((r) => r.configured)
          ? '* = the configured fulfillment-location'
          : `the configured fulfillment-location ${configured} is not in this store; run \`dsync doctor\``
        : 'no fulfillment-location set yet: `dsync config set fulfillment-location "<name or gid>"`',
    );
  }
};
