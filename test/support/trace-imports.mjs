// Preloaded with `node --import` to record every module the process loads, so tests can check
// what a command loads: ES modules through a resolve hook, CommonJS `require()` (native addons
// such as the SQLite binding are loaded that way) through the CommonJS resolver.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./trace-imports-hooks.mjs', import.meta.url);

const Module = createRequire(import.meta.url)('node:module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function traced(request, ...rest) {
  const filename = resolveFilename.call(this, request, ...rest);
  const file = process.env.DSYNC_TRACE_IMPORTS_FILE;
  if (file && filename.startsWith('/')) appendFileSync(file, `${pathToFileURL(filename).href}\n`);
  return filename;
};
