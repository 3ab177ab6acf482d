import { UsageError } from './errors.js';

/**
 * Where events may be POSTed: `https://…`, or plain `http://` only to this machine (127.0.0.0/8,
 * ::1, localhost), so order data and the signature never cross a network in clear text.
 * Checked when the flag is parsed, before anything is read from the store.
 */
export function parseWebhookUrl(value: string, flag = '--webhook'): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a URL`, { hint: EXAMPLE(flag) });
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url.href;
    throw new UsageError(
      `${flag} ${url.origin} is plain http to another host: events carry customer data and must go over https`,
      {
        hint: `use https://${url.host}${url.pathname}, or http only to this machine (127.0.0.1, ::1, localhost)`,
      },
    );
  }
  throw new UsageError(`${flag} must be an https URL (http only to 127.0.0.1, ::1 or localhost)`, {
    hint: EXAMPLE(flag),
  });
}

const EXAMPLE = (flag: string) => `e.g. ${flag} https://wms.example/hooks/orders`;

/** 127.0.0.0/8, ::1 and localhost (URL.hostname keeps IPv6 brackets and normalises IPv4 forms). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  const parts = host.split('.');
  return (
    parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
  );
}
