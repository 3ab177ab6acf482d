import { createServer, type Server } from 'node:http';
import { AuthError, DsyncError, InterruptedError, UsageError } from '../../core/errors.js';
import { type CallbackExpectation, verifyCallback } from './callback.js';

export const CALLBACK_PATH = '/callback';
export const DEFAULT_CALLBACK_PORT = 3456;
export const CALLBACK_TIMEOUT_MS = 5 * 60_000;

export interface CallbackServer {
  /** `http://127.0.0.1:<port>/callback`, the redirect URI registered on the app. */
  readonly redirectUri: string;
  readonly port: number;
  /** The authorization code from the first valid callback; rejects on a refused one or timeout. */
  readonly code: Promise<string>;
  close(): Promise<void>;
}

export interface CallbackServerOptions {
  port: number;
  expectation: Omit<CallbackExpectation, 'port' | 'path' | 'now'>;
  now: () => Date;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The loopback server that receives Shopify's redirect: bound to 127.0.0.1 only, answers only
 * `GET /callback` with a local Host header, takes one callback and closes. Requests to other
 * paths or from a foreign Host (DNS rebinding), and callbacks without this login's `state` (a
 * forged request from another page), are refused and do not end the wait.
 */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const timeoutMs = options.timeoutMs ?? CALLBACK_TIMEOUT_MS;
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  code.catch(() => undefined);
  let done = false;
  // The port actually bound (differs from options.port when that is 0: any free port).
  let boundPort = options.port;

  const server: Server = createServer((req, res) => {
    const verdict = verifyCallback(
      { method: req.method, url: req.url ?? '/', host: req.headers.host },
      { ...options.expectation, port: boundPort, path: CALLBACK_PATH, now: options.now() },
    );
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.setHeader('Connection', 'close');
    if (done && verdict.ok) {
      res.statusCode = 410;
      res.end(page('Already used', 'This login link was already used. Return to your terminal.'));
      return;
    }
    if (
      !verdict.ok &&
      (verdict.reason === 'path' || verdict.reason === 'host' || verdict.reason === 'method')
    ) {
      res.statusCode = verdict.status;
      res.end(page('Not found', 'Nothing here. Return to your terminal.'));
      return;
    }
    if (!verdict.ok && !verdict.ours) {
      // Not this login's callback (another page, a stale tab): refused, and the wait goes on.
      res.statusCode = verdict.status;
      res.end(page('Not this login', "This is not the current login's callback. Return to your terminal."));
      return;
    }
    if (done) {
      res.statusCode = 410;
      res.end(page('Already used', 'This login link was already used. Return to your terminal.'));
      return;
    }
    done = true;
    if (verdict.ok) {
      res.statusCode = 200;
      res.end(
        page(
          'dsync is authorized',
          `${options.expectation.shop} is connected. You can close this tab and return to your terminal.`,
        ),
      );
      finish(() => settle?.resolve(verdict.code));
    } else {
      res.statusCode = verdict.status;
      res.end(page('Authorization failed', `${verdict.message}. Return to your terminal for details.`));
      finish(() =>
        settle?.reject(
          new AuthError(`login failed: ${verdict.message}`, {
            code: `callback_${verdict.reason}`,
            hint: `run \`dsync auth login --store ${options.expectation.shop}\` again`,
          }),
        ),
      );
    }
  });

  const timer = setTimeout(() => {
    done = true;
    finish(() =>
      settle?.reject(
        new AuthError(`no answer from the browser within ${describeDuration(timeoutMs)}`, {
          code: 'login_timeout',
          hint: `run \`dsync auth login --store ${options.expectation.shop}\` again and approve the app in the browser`,
        }),
      ),
    );
  }, timeoutMs);

  const onAbort = () => {
    done = true;
    finish(() => settle?.reject(new InterruptedError()));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  function finish(then: () => void) {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    then();
    // Let the response reach the browser, then stop listening.
    setImmediate(() => {
      server.close();
      server.closeAllConnections();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error.code === 'EADDRINUSE') {
        reject(
          new UsageError(`port ${options.port} on 127.0.0.1 is already in use`, {
            hint: 'pass another port with --port (and register http://127.0.0.1:<port>/callback on the app)',
          }),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new UsageError(`not allowed to listen on port ${options.port}`, {
            hint: 'pass --port 3456 or another port above 1024',
          }),
        );
      } else {
        reject(new DsyncError('callback_server', `cannot start the login callback server: ${error.message}`));
      }
    });
    server.listen({ host: '127.0.0.1', port: options.port, exclusive: true }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  boundPort = port;

  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    port,
    code,
    close: async () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!done) {
        done = true;
        settle?.reject(new InterruptedError('login cancelled'));
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function describeDuration(ms: number): string {
  return ms >= 60_000
    ? `${Math.round(ms / 60_000)} minutes`
    : `${Math.max(1, Math.round(ms / 1000))} seconds`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · dsync</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>
`;
}
