import { createOutput } from '../../core/output.js';
import { logout } from '../../services/auth/logout.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const result = await logout(deps);
  out.result(result, () => '');
  if (!out.json) {
    if (result.removed.length === 0) out.info(`No credentials were stored for ${result.shop}.`);
    else {
      const where = result.removed
        .map((l) => (l === 'keychain' ? 'the OS keychain' : 'credentials.json'))
        .join(' and ');
      out.success(`Logged out of ${result.shop}: credentials removed from ${where}.`);
    }
  }
  if (result.envTokenSet) {
    out.warn(
      'DSYNC_ACCESS_TOKEN is set in the environment and still applies; unset it to stop using that token.',
    );
  }
};
