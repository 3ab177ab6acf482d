import { DsyncError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';

/**
 * Stored credentials belong to the origin that issued them: a token from a sandbox
 * (DSYNC_API_ORIGIN, loopback) is never sent to `https://{shop}`, and a real store's token is
 * never sent to a loopback port. `recorded` is the origin kept with the login (undefined: the real
 * store); `current` is where this run would send requests.
 */
export function checkCredentialOrigin(shop: string, recorded: string | undefined, current: string): void {
  const issuedBy = recorded ?? `https://${shop}`;
  if (issuedBy === current) return;
  const sandboxLogin = recorded !== undefined;
  throw new DsyncError(
    'origin_mismatch',
    sandboxLogin
      ? `the credentials of ${shop} were issued by ${issuedBy} (DSYNC_API_ORIGIN at login), not by ${current}: dsync does not send them anywhere else`
      : `the credentials of ${shop} were issued by ${issuedBy}, but DSYNC_API_ORIGIN sends requests to ${current}: dsync does not send them anywhere else`,
    ExitCode.usage,
    {
      hint: sandboxLogin
        ? `export DSYNC_API_ORIGIN=${issuedBy}   (or log in to the store itself: unset DSYNC_API_ORIGIN; dsync auth login --store ${shop})`
        : `unset DSYNC_API_ORIGIN   (or log in against ${current}: DSYNC_API_ORIGIN=${current} dsync auth login --store ${shop})`,
      details: { shop, expectedApiOrigin: recorded ?? null, apiOrigin: current },
    },
  );
}
