import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { type PullFormat, type PullOptions, pullStock } from '../../services/inventory/pull.js';
import type { CommandRun } from '../define.js';

export function pullOptionsFromFlags(flags: Record<string, unknown>, json: boolean): PullOptions {
  const out = typeof flags.out === 'string' && flags.out.trim() !== '' ? flags.out.trim() : undefined;
  const given = flags.format === undefined ? undefined : (String(flags.format) as PullFormat);
  if (json && out === undefined && given === 'csv') {
    throw new UsageError('--json prints JSON lines on stdout: --format csv needs --out', {
      hint: 'dsync inventory pull --format csv --out stock.csv --json',
    });
  }
  // With --json and no file, stdout carries JSON only: the records as JSON lines.
  const format = given ?? (json && out === undefined ? 'jsonl' : 'csv');
  return { format, out };
}

export const run: CommandRun = async (deps, _args, flags) => {
  const output = createOutput(deps);
  const options = pullOptionsFromFlags(flags, deps.global.json);
  const result = await pullStock(deps, options);
  if (result.text !== null) deps.stdout.write(result.text);
  for (const c of result.conflicts) {
    output.warn(
      `${c.sku} is shared by variants holding different quantities, left out: ${c.variants.join('; ')}`,
    );
  }
  if (result.withoutSku > 0) {
    output.warn(
      `${result.withoutSku} item${result.withoutSku === 1 ? '' : 's'} at ${result.location.name} without a SKU left out`,
    );
  }
  if (result.out !== null) {
    const { text: _text, ...summary } = result;
    output.result({ ...summary, records: result.records.length }, () => '');
    if (!output.json)
      output.success(`${result.records.length} SKUs at ${result.location.name} written to ${result.out}`);
  } else {
    output.info(`${result.records.length} SKUs at ${result.location.name}`);
  }
};
