import { createOutput } from '../../core/output.js';
import { renderTable } from '../../core/table.js';
import { connectStore } from '../../services/connect.js';
import { fetchFulfillmentServices, fulfillmentServiceRows } from '../../services/locations/list.js';
import type { CommandRun } from '../define.js';
import { storedSetting } from '../locations/list.js';

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const { shop, client } = await connectStore(deps);
  const configured = storedSetting(await deps.config(), shop, 'fulfillment-service') ?? 'all';
  const rows = fulfillmentServiceRows(await fetchFulfillmentServices(client, deps.signal), configured);
  out.result({ shop, configured, fulfillmentServices: rows }, () => {
    if (rows.length === 0) return `${shop} has no fulfillment services`;
    const p = out.paint;
    return renderTable(
      [
        { header: '', value: (r) => (r.configured ? '*' : '') },
        { header: 'HANDLE', value: (r) => r.handle },
        { header: 'NAME', value: (r) => r.name },
        { header: 'LOCATION', value: (r) => (r.location ? `${r.location.name} (${r.location.id})` : '') },
        { header: 'INVENTORY MANAGEMENT', value: (r) => yesNo(r.inventoryManagement) },
        { header: 'TRACKING', value: (r) => yesNo(r.trackingSupport) },
      ],
      rows,
      (s) => p.bold(s),
    )
      .split('\n')
      .map((line, i) => (rows[i - 1]?.configured ? p.green.bold(line) : line))
      .join('\n');
  });
  if (!out.json) {
    out.hint(
      configured === 'all'
        ? 'fulfillment-service is all: line items of every service are imported'
        : rows.some((r) => r.configured)
          ? '* = the configured fulfillment-service'
          : `the configured fulfillment-service ${configured} is not in this store; run \`dsync doctor\``,
    );
  }
};
