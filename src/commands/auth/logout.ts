import { createOutput } from '../../core/output.js';
import { logout } from '../../services/auth/logout.js';
import type { CommandRun } from '../define.js';

export const run: CommandRun = async (deps) => {
  const out = createOutput(deps);
  const result = await logout(deps);
  out.result(result, () => '');
  if (!out.json) {
    if (result.removed.length > 0) {
      const where = result.removed
        .map((l) => (l === 'keychain' ? 'the OS keychain' : 'credentials.json'))
        .join(' and ');
      out.success(`Logged out of ${result.shop}: removed ${result.secrets.join(', ')} from ${where}.`);
    } else if (result.keychainUnreachable === null) {
      out.info(`Nothing to remove: no credentials are stored for ${result.shop}.`);
    }
    if (result.keychainUnreachable !== null) {
      out.warn(
        `the OS keychain could not be reached (${result.keychainUnreachable}): anything stored there for ${result.shop} stays until \`dsync auth logout --store ${result.shop}\` runs with it unlocked.`,
      );
    }
  }
  if (result.envTokenSet) {
    out.warn(
      'DSYNC_ACCESS_TOKEN is set in the environment and still applies; unset it to stop using that token.',
    );
  }
};
