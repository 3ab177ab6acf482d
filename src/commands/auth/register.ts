import { type Command, Option } from 'commander';
import type { RegisterContext } from '../define.js';

const AUTH_HELP = `
Flows:
  Browser (OAuth, loopback redirect). Register http://127.0.0.1:3456/callback as an allowed
  redirection URL of the app, then:
    dsync auth login --store acme --client-id 1a2b3c
  The client secret is asked for (masked), or comes from DSYNC_CLIENT_SECRET or stdin:
    printf %s "$SECRET" | dsync auth login --store acme --client-id 1a2b3c --client-secret-stdin
  Without a browser on this machine (over SSH), print the URL and open it on your laptop; when
  the browser cannot reach this machine's port, approve, then paste the address the browser
  ended on (http://127.0.0.1:3456/callback?code=…) at the prompt, or pipe it with --no-input.
  It gets the same checks as the loopback callback (state, shop, HMAC, timestamp, one use):
    dsync auth login --store acme --client-id 1a2b3c --no-browser

  Admin API token of a custom app made in the Shopify admin (read from stdin, never an argument):
    printf %s "$TOKEN" | dsync auth login --store acme --with-token

  Client-credentials grant (your organisation's app on your own store; re-minted when it expires):
    DSYNC_CLIENT_SECRET=... dsync auth login --store acme --client-id 1a2b3c --client-credentials

  CI: no login at all, the token comes from the environment and overrides stored credentials:
    DSYNC_ACCESS_TOKEN=... dsync auth status --store acme

Storage: secrets go to the OS keychain (service "dsync", one entry per store). When the keychain
is unavailable (no Secret Service, locked, no answer within 8 s) or with --insecure-storage they
go to credentials.json (mode 0600) in the config dir, with a warning. DSYNC_KEYCHAIN=off skips the
keychain; DSYNC_KEYCHAIN_TIMEOUT_MS changes the timeout.

Check and manage:
  dsync auth status            every store: token source, expiry, scopes granted vs needed (exit 4 on a problem)
  dsync auth token             the access token, refreshed when it is about to expire
  dsync auth logout --store acme
  dsync stores list`;

export function registerAuth(program: Command, ctx: RegisterContext): void {
  const auth = program
    .command('auth')
    .description('log in to a store, check the token, print it, log out')
    .addHelpText('after', AUTH_HELP);

  auth
    .command('login')
    .description('authorize dsync on a store: browser OAuth, a pasted token, or client credentials')
    .addOption(new Option('--client-id <id>', "the app's client id").env('DSYNC_CLIENT_ID'))
    .option('--client-secret-stdin', "read the app's client secret from stdin (or set DSYNC_CLIENT_SECRET)")
    .option(
      '--scopes <list>',
      'comma-separated scopes to ask for (default: the scopes the store’s settings need; see `dsync auth status`)',
    )
    .option('--port <port>', 'loopback port of the redirect URI http://127.0.0.1:<port>/callback', '3456')
    .option(
      '--no-browser',
      'print the authorize URL instead of opening a browser; the address the browser ended on can be pasted back',
    )
    .option('--with-token', 'read an Admin API access token from stdin (custom app made in the admin)')
    .option('--client-credentials', 'use the client-credentials grant instead of the browser')
    .option('--insecure-storage', 'store credentials in a 0600 file instead of the OS keychain')
    .option('--no-expiring', 'ask for a non-expiring offline token instead of an expiring one with refresh')
    .addHelpText(
      'after',
      `
Examples:
  dsync auth login --store acme --client-id 1a2b3c
  dsync auth login --store acme --client-id 1a2b3c --no-browser --port 4567
  printf %s "$TOKEN" | dsync auth login --store acme --with-token
  printf %s "$SECRET" | dsync auth login --store acme --client-id 1a2b3c --client-credentials --client-secret-stdin

Tokens are never accepted as command-line arguments: they would end up in shell history and
process lists. The redirect URI must be an allowed redirection URL of the app.`,
    )
    .action(ctx.action(() => import('./login.js')));

  auth
    .command('status')
    .description('check each store: token source, expiry, scopes granted vs needed (exit 4 on a problem)')
    .addHelpText(
      'after',
      `
Examples:
  dsync auth status
  dsync auth status --store acme --json
  DSYNC_ACCESS_TOKEN=... dsync auth status --store acme     # in CI`,
    )
    .action(ctx.action(() => import('./status.js')));

  auth
    .command('token')
    .description('print the access token for scripts (refreshed first if it is about to expire)')
    .addHelpText(
      'after',
      `
Examples:
  curl -H "X-Shopify-Access-Token: $(dsync auth token --store acme)" ...
  TOKEN=$(dsync auth token) && echo "token of the default store is \${#TOKEN} characters"

The token is printed on stdout only; nothing else dsync prints ever contains it.`,
    )
    .action(ctx.action(() => import('./token.js')));

  auth
    .command('logout')
    .description(
      'remove every secret of the store (tokens, client secret, webhook-secret, return-magic-api-key) from the keychain and the fallback file',
    )
    .addHelpText(
      'after',
      `
Examples:
  dsync auth logout --store acme
  dsync auth logout --store acme --json    # {"removed": ["keychain"], "secrets": [...]}: where and what

Settings stay (log in again to use them). The secret settings are removed with the tokens: set
them again after the next login (printf %s "$SECRET" | dsync config set webhook-secret -).
Nothing stored, or a keychain that cannot be reached, is not an error (exit 0).`,
    )
    .action(ctx.action(() => import('./logout.js')));
}
