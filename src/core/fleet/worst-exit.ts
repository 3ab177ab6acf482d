import { ExitCode } from '../exit-codes.js';

/**
 * How bad each exit code is when many stores run at once, worst first (README, "Many stores"):
 * interrupted (the run did not finish), usage or configuration (a human must fix a setting),
 * auth (a human must log in again), error (the store's run failed), partial failure (some orders
 * failed, the rest went through), locked (another run is already doing the work), success.
 */
export const EXIT_SEVERITY: readonly ExitCode[] = [
  ExitCode.interrupted,
  ExitCode.usage,
  ExitCode.auth,
  ExitCode.error,
  ExitCode.partial,
  ExitCode.locked,
  ExitCode.ok,
];

/** The worst of the stores' exit codes (0 for no stores); an unknown code ranks with error. */
export function worstExit(codes: readonly ExitCode[]): ExitCode {
  const rank = (code: ExitCode) => {
    const at = EXIT_SEVERITY.indexOf(code);
    return at === -1 ? EXIT_SEVERITY.indexOf(ExitCode.error) : at;
  };
  let worst: ExitCode = ExitCode.ok;
  for (const code of codes) if (rank(code) < rank(worst)) worst = code;
  return worst;
}
