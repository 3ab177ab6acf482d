// Preloaded with `node --import` to record every module URL the process resolves,
// so tests can check what a command loads.
import { register } from 'node:module';

register('./trace-imports-hooks.mjs', import.meta.url);
