import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The package version, read from package.json next to dist/. The bundle carries it as a constant
 * instead (scripts/build-bundle.js).
 */
export const VERSION: string = (require('../package.json') as { version: string }).version;
