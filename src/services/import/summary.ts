import type { ImportSummary } from './run.js';

/** The one line cron mails: created/updated/cancelled, skipped by reason, errors. */
export function renderSummaryLine(summary: ImportSummary): string {
  const skipped = Object.entries(summary.skipped)
    .filter(([, n]) => (n ?? 0) > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const parts = [
    `${summary.created} created`,
    `${summary.updated} updated`,
    `${summary.cancelled} cancelled`,
    `${summary.skippedTotal} skipped${skipped ? ` (${skipped})` : ''}`,
    `${summary.errors.length} errors`,
  ];
  const followUps = [
    summary.onHold > 0 ? `${summary.onHold} on hold` : '',
    summary.withdrawn > 0 ? `${summary.withdrawn} withdrawn` : '',
    summary.released > 0 ? `${summary.released} released` : '',
    summary.cancellationRequested > 0 ? `${summary.cancellationRequested} cancellation requested` : '',
  ].filter((part) => part !== '');
  parts.splice(3, 0, ...followUps);
  const extra = [
    summary.unchanged > 0 ? `${summary.unchanged} unchanged` : '',
    summary.unresolved > summary.errors.length ? `${summary.unresolved} orders still failing` : '',
    summary.shipped > 0 ? `${summary.shipped} shipped since import` : '',
    summary.fulfillmentRequests && summary.fulfillmentRequests.accepted > 0
      ? `${summary.fulfillmentRequests.accepted} fulfillment requests accepted`
      : '',
  ].filter((part) => part !== '');
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const checkpoint = summary.checkpointNote
    ? ` · ${summary.checkpointNote}`
    : summary.checkpoint
      ? ` · checkpoint ${summary.checkpoint}`
      : '';
  return `${summary.dryRun ? 'import (dry run)' : 'import'} ${summary.shop}: ${parts.join(', ')} · ${summary.fetched} orders read (${summary.mode}) in ${seconds}s${extra.length > 0 ? ` (${extra.join(', ')})` : ''}${checkpoint}`;
}
