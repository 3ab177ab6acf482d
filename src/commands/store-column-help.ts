/** The `--help` paragraph on a file's store column (ship, inventory push, returns receive). */
export const STORE_COLUMN_HELP = `
A store column (acme or acme.myshopify.com) applies each store's rows with that store's token,
settings, ledger and lock, as if run once per store; the report has one line per store (--json:
an array) and the exit code is the worst store's. A row naming a store that is not configured,
or none, is refused with its line; the other rows still apply. With --store (DSYNC_STORE) the
file is for that store alone: empty cells mean it, rows naming another store are refused.
`;
