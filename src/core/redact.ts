/**
 * Redaction for anything that may reach a log or an error message. Tokens, secrets and OAuth
 * `code`/`hmac` values are replaced, whatever field or string they hide in.
 */
const TOKEN_PATTERN = /\b(shp(?:at|ca|pa|ss|ua|rt)_)[A-Za-z0-9]+/g;
const SENSITIVE_KEYS =
  /^(x-shopify-access-token|authorization|access_token|accesstoken|refresh_token|refreshtoken|client_secret|clientsecret|code|hmac|signature|token|password|secret|api[-_]?key|idempotency-key)$/i;
const QUERY_PARAM_PATTERN =
  /([?&](?:code|hmac|signature|access_token|refresh_token|client_secret|state)=)[^&#\s"]*/gi;

export const REDACTED = '[redacted]';

export function redactString(value: string, known: readonly string[] = []): string {
  let out = value;
  for (const secret of known) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out.replace(TOKEN_PATTERN, `$1${REDACTED}`).replace(QUERY_PARAM_PATTERN, `$1${REDACTED}`);
}

export function redactValue(value: unknown, known: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactString(value, known);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, known));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SENSITIVE_KEYS.test(key) && item !== null && item !== undefined ? REDACTED : redactValue(item, known);
    }
    return out;
  }
  return value;
}

export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[key] = SENSITIVE_KEYS.test(key) ? REDACTED : redactString(text);
  }
  return out;
}
