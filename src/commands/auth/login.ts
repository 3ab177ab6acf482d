import type { Deps } from '../../core/deps.js';
import { UsageError } from '../../core/errors.js';
import { createOutput } from '../../core/output.js';
import { normalizeShop } from '../../core/shop.js';
import { CALLBACK_PATH, DEFAULT_CALLBACK_PORT } from '../../services/auth/callback-server.js';
import { refuseReadOnlyCredentials } from '../../services/auth/credentials.js';
import { type LoginFlow, type LoginOptions, login } from '../../services/auth/login.js';
import { scopeSettingsOf, scopesFor } from '../../services/auth/scopes.js';
import type { CommandRun } from '../define.js';
import { readLineFromStdin, readSecretFromStdin } from './stdin.js';

export const run: CommandRun = async (deps, _args, flags) => {
  const out = createOutput(deps);
  // Before a prompt, a browser or a read of stdin: there is nowhere to store what they give.
  await refuseReadOnlyCredentials(deps, '`dsync auth login`');
  const options = {
    ...(await parseLoginOptions(deps, flags)),
    talk: { info: out.info, success: out.success, warn: out.warn },
  };
  const result = await login(deps, options);
  out.result(result, () => '');
  if (!out.json) {
    const where = result.storage === 'keychain' ? 'the OS keychain' : 'credentials.json (mode 0600)';
    out.success(
      `Logged in to ${result.shop} (${result.shopName}); the token is stored in ${where}` +
        (result.expiresAt ? ` and expires at ${result.expiresAt} (refreshed automatically)` : ''),
    );
    if (result.default) out.hint(`${result.shop} is the default store`);
  }
  if (result.missingScopes.length > 0) {
    out.warn(
      `the token lacks scopes the settings need: ${result.missingScopes.join(', ')}. ` +
        'Grant them to the app and log in again; `dsync auth status` says which feature needs which and exits 4 until then.',
    );
  }
};

export async function parseLoginOptions(deps: Deps, flags: Record<string, unknown>): Promise<LoginOptions> {
  const withToken = flags.withToken === true;
  const clientCredentials = flags.clientCredentials === true;
  const secretFromStdin = flags.clientSecretStdin === true;
  if (withToken && clientCredentials) {
    throw new UsageError('--with-token and --client-credentials are different ways to log in: pick one');
  }
  if (withToken && secretFromStdin) {
    throw new UsageError('--with-token and --client-secret-stdin both read stdin: pick one', {
      hint: 'a token login needs no client secret',
    });
  }
  const flow: LoginFlow = withToken ? 'token' : clientCredentials ? 'client-credentials' : 'browser';

  const shop = deps.global.store ?? (await ask(deps, '--store', 'Store (e.g. acme or acme.myshopify.com)'));
  const normalizedShop = normalizeShop(shop);

  const port = parsePort(flags.port);
  // By default, the scopes of the features the store's settings turn on (reading only at first).
  const profile = (await deps.config()).getProfile(normalizedShop);
  const scopes = parseScopes(flags.scopes, scopesFor(scopeSettingsOf(profile)));
  const base = {
    shop: normalizedShop,
    flow,
    scopes,
    port,
    openBrowser: flags.browser !== false,
    insecure: flags.insecureStorage === true,
    expiring: flags.expiring !== false,
  };

  if (flow === 'token') {
    const token = deps.interactive
      ? await (await deps.prompter()).password(`Admin API access token for ${normalizedShop}`)
      : await readSecretFromStdin(deps.stdin, 'access token', '--with-token');
    if (token.trim() === '' || /\s/.test(token.trim())) {
      throw new UsageError('the access token is empty or contains whitespace');
    }
    return { ...base, token: token.trim() };
  }

  const clientIdRaw = typeof flags.clientId === 'string' ? flags.clientId : undefined;
  const clientId = (clientIdRaw ?? (await ask(deps, '--client-id', "The app's client id"))).trim();
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(clientId)) {
    throw new UsageError('--client-id must be the client id shown in the app’s settings', {
      hint: 'copy it from the Partner Dashboard or the Dev Dashboard (API credentials)',
    });
  }

  let clientSecret: string | undefined;
  if (secretFromStdin)
    clientSecret = await readSecretFromStdin(deps.stdin, 'client secret', '--client-secret-stdin');
  else if (deps.env.DSYNC_CLIENT_SECRET?.trim()) clientSecret = deps.env.DSYNC_CLIENT_SECRET.trim();
  else if (deps.interactive)
    clientSecret = (await (await deps.prompter()).password("The app's client secret")).trim();
  if (!clientSecret) {
    throw new UsageError('the app’s client secret is missing', {
      hint: 'pipe it with --client-secret-stdin or set DSYNC_CLIENT_SECRET (never pass it as an argument)',
    });
  }
  const pastedCallback =
    flags.browser === false ? pasteReader(deps, { stdinTaken: secretFromStdin }) : undefined;
  return { ...base, clientId, clientSecret, ...(pastedCallback ? { pastedCallback } : {}) };
}

/**
 * With --no-browser the browser may run elsewhere (over SSH) and never reach this machine's
 * loopback callback: the address it ended on can be pasted at a prompt, or piped on stdin with
 * --no-input (unless stdin carries the client secret).
 */
function pasteReader(
  deps: Deps,
  options: { stdinTaken: boolean },
): ((signal: AbortSignal) => Promise<string>) | undefined {
  if (deps.interactive) {
    return async (signal) => {
      const prompter = await deps.prompter();
      try {
        return await prompter.input('Address the browser ended on (or keep waiting for it here)', { signal });
      } catch (error) {
        if (signal.aborted) return '';
        throw error;
      }
    };
  }
  if (options.stdinTaken || deps.stdin.isTTY) return undefined;
  return (signal) => readLineFromStdin(deps.stdin, signal);
}

async function ask(deps: Deps, flag: string, question: string): Promise<string> {
  if (!deps.interactive) {
    throw new UsageError(`${flag} is required when dsync cannot prompt`, { hint: `pass ${flag} <value>` });
  }
  const answer = await (await deps.prompter()).input(question, {
    validate: (value) => (value.trim() === '' ? 'required' : true),
  });
  return answer.trim();
}

function parsePort(value: unknown): number {
  const text = value === undefined ? String(DEFAULT_CALLBACK_PORT) : String(value);
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number (1-65535), not ${JSON.stringify(text)}`, {
      hint: `the redirect URI is http://127.0.0.1:<port>${CALLBACK_PATH}`,
    });
  }
  return port;
}

function parseScopes(value: unknown, byDefault: string[]): string[] {
  if (value === undefined) return byDefault;
  const scopes = [
    ...new Set(
      String(value)
        .split(/[\s,]+/)
        .filter((s) => s !== ''),
    ),
  ];
  const bad = scopes.find((s) => !/^[a-z][a-z_]*$/.test(s));
  if (scopes.length === 0 || bad !== undefined) {
    throw new UsageError(
      `--scopes: ${bad === undefined ? 'no scopes given' : `${JSON.stringify(bad)} is not a scope`}`,
      {
        hint: 'e.g. --scopes read_orders,read_locations (default: the scopes the store’s settings need)',
      },
    );
  }
  return scopes;
}
