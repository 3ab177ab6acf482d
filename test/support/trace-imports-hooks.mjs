import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const file = process.env.DSYNC_TRACE_IMPORTS_FILE;
  if (file) appendFileSync(file, `${result.url}\n`);
  return result;
}
