/** The Admin API version dsync is built and tested against; `api-version` / `--api-version` override it. */
export const PINNED_API_VERSION = '2026-10';
