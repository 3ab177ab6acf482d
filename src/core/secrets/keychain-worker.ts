import { parentPort } from 'node:worker_threads';

/**
 * Runs OS keychain calls off the main thread. `@napi-rs/keyring` is synchronous native code and
 * a locked or absent Secret Service can block inside it (even in the Entry constructor), so the
 * main thread talks to this worker by message and can give up on a timeout.
 */
interface Request {
  id: number;
  op: 'read' | 'write' | 'delete';
  service: string;
  account: string;
  value?: string;
}

parentPort?.on('message', async (request: Request) => {
  try {
    const { Entry } = await import('@napi-rs/keyring');
    // On Linux, pin the Secret Service: the kernel keyring (keyutils) forgets everything at logout.
    const entry = new Entry(request.service, request.account, { linux: { store: 'secret-service' } });
    if (request.op === 'read') {
      parentPort?.postMessage({ id: request.id, ok: true, value: entry.getPassword() ?? null });
    } else if (request.op === 'write') {
      entry.setPassword(request.value ?? '');
      parentPort?.postMessage({ id: request.id, ok: true, value: null });
    } else {
      const deleted = entry.deleteCredential();
      parentPort?.postMessage({ id: request.id, ok: true, value: deleted ? 'deleted' : null });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    parentPort?.postMessage({ id: request.id, ok: false, error: message });
  }
});
