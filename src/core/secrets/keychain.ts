import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** The OS keychain as dsync uses it: one text entry per account under one service. */
export interface Keychain {
  /** The entry's value, or null when there is none. Rejects when the keychain cannot be used. */
  read(account: string): Promise<string | null>;
  write(account: string, value: string): Promise<void>;
  /** True when an entry was removed, false when there was none. */
  delete(account: string): Promise<boolean>;
}

/** A keychain failure: unavailable, locked, or too slow. `reason` is the keychain's own message. */
export class KeychainError extends Error {
  constructor(
    readonly reason: string,
    readonly timedOut = false,
  ) {
    super(`the OS keychain is unavailable: ${reason}`);
    this.name = 'KeychainError';
  }
}

export const KEYCHAIN_SERVICE = 'dsync';

interface WorkerReply {
  id: number;
  ok: boolean;
  value?: string | null;
  error?: string;
}

/**
 * The real keychain, through `@napi-rs/keyring` in a worker thread. A call that does not answer
 * within `timeoutMs` rejects with a KeychainError; the worker is then abandoned and every later
 * call fails fast, so one hung Secret Service costs one timeout, not one per secret.
 */
export function createWorkerKeychain(options: {
  service?: string;
  timeoutMs: number;
  workerUrl?: URL;
}): Keychain {
  const service = options.service ?? KEYCHAIN_SERVICE;
  let worker: Worker | undefined;
  let broken: KeychainError | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (e: Error) => void }>();

  const failAll = (error: KeychainError) => {
    broken = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    const stale = worker;
    worker = undefined;
    if (stale) void stale.terminate().catch(() => undefined);
  };

  const start = (): Worker => {
    if (worker) return worker;
    // Loaded on the first call: a command that reads no secret never starts the helper thread.
    const threads = require('node:worker_threads') as typeof import('node:worker_threads');
    const created = new threads.Worker(options.workerUrl ?? new URL('./keychain-worker.js', import.meta.url));
    created.unref();
    created.on('message', (reply: WorkerReply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (pending.size === 0) created.unref();
      waiter.resolve(reply);
    });
    created.on('error', (error) => failAll(new KeychainError(error.message)));
    created.on('exit', () => {
      if (worker === created) failAll(new KeychainError('the keychain helper stopped'));
    });
    worker = created;
    return created;
  };

  const call = (op: 'read' | 'write' | 'delete', account: string, value?: string) =>
    new Promise<string | null>((resolve, reject) => {
      if (broken) {
        reject(broken);
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        failAll(
          new KeychainError(
            `no answer from the keychain within ${Math.round(options.timeoutMs / 1000)} s (is it locked?)`,
            true,
          ),
        );
      }, options.timeoutMs);
      pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.ok) resolve(reply.value ?? null);
          else reject(new KeychainError(reply.error ?? 'unknown keychain error'));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const target = start();
      target.ref();
      target.postMessage({ id, op, service, account, value });
    });

  return {
    read: (account) => call('read', account),
    write: async (account, value) => {
      await call('write', account, value);
    },
    delete: async (account) => (await call('delete', account)) === 'deleted',
  };
}
