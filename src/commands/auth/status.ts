import { AuthError, DsyncError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { createOutput } from '../../core/output.js';
import { mountHint } from '../../core/store-selection.js';
import { authStatus, type StoreAuthStatus } from '../../services/auth/status.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const result = await authStatus(deps);
  const now = deps.clock.now();
  out.result(result, () => result.stores.map((store) => render(store, now, out.paint)).join('\n\n'));
  if (result.stores.length === 0) {
    throw new AuthError('no store is logged in', {
      code: 'not_authenticated',
      hint:
        deps.credentialsDir === undefined
          ? 'dsync auth login --store <shop>'
          : mountHint(deps.credentialsDir),
      resultPrinted: true,
    });
  }
  const failing = result.stores.filter((s) => !s.ok);
  if (failing.length === 0) return;
  const names = failing.map((s) => s.shop).join(', ');
  const authProblem = failing.some((s) => s.problem?.exitCode === ExitCode.auth);
  const first = failing[0]?.problem;
  if (authProblem) {
    throw new AuthError(
      failing.length === 1 && first
        ? `${names}: ${first.message}`
        : `${failing.length} stores have a problem: ${names}`,
      { code: 'auth_status', hint: first?.hint ?? 'dsync auth login', resultPrinted: true },
    );
  }
  // A setup problem (DSYNC_API_ORIGIN not where the login was made) is exit 2, like elsewhere.
  const usage = failing.some((s) => s.problem?.exitCode === ExitCode.usage);
  throw new DsyncError(
    'auth_status',
    `could not check ${names}: ${first?.message ?? 'unknown error'}`,
    usage ? ExitCode.usage : ExitCode.error,
    {
      hint: first?.hint ?? undefined,
      resultPrinted: true,
    },
  );
};

function render(
  store: StoreAuthStatus,
  now: Date,
  paint: { green(s: string): string; red(s: string): string; bold(s: string): string },
): string {
  const lines = [`${paint.bold(store.shop)}${store.default ? ' (default)' : ''}`];
  lines.push(
    `  token     ${store.source ?? 'none'}${store.sourcePath ? ` (${store.sourcePath})` : ''}${store.grant ? ` · ${store.grant.replace(/_/g, ' ')}` : ''}`,
  );
  lines.push(
    `  expires   ${store.expiresAt ? `${store.expiresAt} (${relative(store.expiresAt, now)})` : store.source ? 'never' : '-'}`,
  );
  if (store.scopes) {
    lines.push(`  scopes    ${store.scopes.length > 0 ? store.scopes.join(', ') : 'none'}`);
    for (const f of store.features) {
      const why = f.enabledBy
        ? `${f.feature} (${f.commands}; on with ${f.enabledBy})`
        : `${f.feature} (${f.commands})`;
      lines.push(
        `  needs     ${why}: ${f.missing.length === 0 ? paint.green('granted') : paint.red(`missing ${f.missing.join(', ')}`)}`,
      );
    }
  }
  lines.push(
    `  status    ${store.ok ? paint.green('ok') : paint.red(`${store.problem?.message ?? 'not ok'}`)}` +
      (store.problem?.hint ? `\n            try: ${store.problem.hint}` : ''),
  );
  return lines.join('\n');
}

function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  if (!Number.isFinite(ms)) return 'unknown';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  return ms >= 0 ? `in ${span}, refreshed automatically when due` : `${span} ago`;
}
