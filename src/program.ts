import { Command, Option } from 'commander';
import { registerAuth } from './commands/auth/register.js';
import { registerCompletion } from './commands/completion/register.js';
import { registerConfig } from './commands/config/register.js';
import { createRegisterContext, type DepsFactory, type RegisterContext } from './commands/define.js';
import { registerDoctor } from './commands/doctor/register.js';
import { registerFulfillmentServices } from './commands/fulfillment-services/register.js';
import { registerInventory } from './commands/inventory/register.js';
import { registerLocations } from './commands/locations/register.js';
import { registerImport, registerOrders } from './commands/orders/register.js';
import { registerRequests } from './commands/requests/register.js';
import { registerReturns } from './commands/returns/register.js';
import { registerSandbox } from './commands/sandbox/register.js';
import { registerSchema } from './commands/schema/register.js';
import { registerShip } from './commands/ship/register.js';
import { registerState } from './commands/state/register.js';
import { registerStores } from './commands/stores/register.js';
import { EXIT_CODES_HELP } from './core/exit-codes.js';
import { VERSION } from './version.js';

/** A top-level command (with its aliases) and the function that adds it and its subcommands. */
interface TopLevel {
  names: readonly string[];
  register: (program: Command, ctx: RegisterContext) => void;
  /** The command reads the whole tree when it runs (completion writes it into its scripts). */
  readsTree?: true;
}

/** In the order `dsync --help` lists them within their groups. */
const TOP_LEVEL: readonly TopLevel[] = [
  { names: ['auth'], register: registerAuth },
  { names: ['stores'], register: registerStores },
  { names: ['config'], register: registerConfig },
  { names: ['locations'], register: registerLocations },
  { names: ['fulfillment-services'], register: registerFulfillmentServices },
  { names: ['import'], register: registerImport },
  { names: ['orders'], register: registerOrders },
  { names: ['requests'], register: registerRequests },
  { names: ['ship', 'shipments'], register: registerShip },
  { names: ['inventory'], register: registerInventory },
  { names: ['returns'], register: registerReturns },
  { names: ['schema'], register: registerSchema },
  { names: ['state'], register: registerState },
  { names: ['doctor'], register: registerDoctor },
  { names: ['sandbox'], register: registerSandbox },
  { names: ['completion'], register: registerCompletion, readsTree: true },
];

/** Global options that take a value as the next argument (`--store acme`). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--store', '--api-version']);

/**
 * The top-level command an argv runs, when that is certain: the first argument that is not a
 * global option or its value, and one of the names in TOP_LEVEL. Undefined for `dsync`, `dsync
 * --help`, `dsync help config`, a misspelt command (whose error suggests the others), and any
 * argv this reading does not understand.
 */
export function topLevelCommandOf(args: readonly string[]): TopLevel | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') return undefined;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) {
      i += 1;
      continue;
    }
    if (arg.startsWith('-')) continue;
    const found = TOP_LEVEL.find((entry) => entry.names.includes(arg));
    return found?.readsTree ? undefined : found;
  }
  return undefined;
}

/**
 * The command tree. Only commander and the register files load here: every command's module
 * is imported when it runs, so `--help` and `--version` stay fast.
 *
 * Given the argv, only the top-level command it runs is added (with all its subcommands, options
 * and help): commander parses that branch alone, and building all the others would cost a
 * command that reads one setting a sizeable part of its start-up. `dsync --help`, an unknown
 * command and `completion` get the whole tree (test/program/pruned-tree.test.ts holds each branch
 * to the whole tree's).
 */
export function buildProgram(makeDeps: DepsFactory, argv?: readonly string[]): Command {
  const program = new Command('dsync')
    .description(
      'Connect a Shopify store to a warehouse: auth, settings, order import, shipments, inventory.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .addOption(
      new Option('--store <shop>', 'store to act on (acme or acme.myshopify.com)').env('DSYNC_STORE'),
    )
    .option('--json', 'machine output on stdout (errors too)')
    .option('--no-color', 'no ANSI colour (also NO_COLOR)')
    .option('--no-input', 'never prompt; missing answers are usage errors (also DSYNC_NO_INPUT, CI)')
    .addOption(
      new Option(
        '--api-version <YYYY-MM>',
        'Admin API version (default: the pinned 2026-10, or the api-version setting)',
      ).env('DSYNC_API_VERSION'),
    )
    .option('--debug', 'log HTTP requests and responses to stderr, secrets redacted (also DSYNC_DEBUG=1)')
    .showHelpAfterError('(run with --help for usage)')
    // Every command's help also lists --store, --json and the other global options it takes.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `
Environment:
  DSYNC_STORE          store to act on (like --store)
  DSYNC_CONFIG_DIR     where config, ledger and fallback credentials live
  DSYNC_ACCESS_TOKEN   Admin API token; overrides stored credentials (CI)
  DSYNC_API_ORIGIN     loopback origin of a sandbox store (http://127.0.0.1:PORT)
  DSYNC_API_VERSION    Admin API version (like --api-version)

${EXIT_CODES_HELP}

Try it without a store:
  dsync sandbox --orders 500        # in one terminal
  npm run demo                      # or the whole flow at once`,
    );

  const ctx = createRegisterContext(makeDeps);
  const only = argv === undefined ? undefined : topLevelCommandOf(argv.slice(2));
  for (const entry of only ? [only] : TOP_LEVEL) entry.register(program, ctx);
  groupCommands(program);
  return program;
}

/** `dsync --help` lists the commands by what a user is doing, in the order they meet them. */
const HELP_GROUPS: Record<string, string> = {
  auth: 'Auth:',
  stores: 'Auth:',
  config: 'Store settings:',
  locations: 'Store settings:',
  'fulfillment-services': 'Store settings:',
  import: 'Orders:',
  orders: 'Orders:',
  requests: 'Orders:',
  ship: 'Shipments & stock:',
  shipments: 'Shipments & stock:',
  inventory: 'Shipments & stock:',
  returns: 'Returns:',
  state: 'Tools:',
  doctor: 'Tools:',
  schema: 'Tools:',
  sandbox: 'Tools:',
  completion: 'Tools:',
};

function groupCommands(program: Command): void {
  for (const command of program.commands) {
    const group = HELP_GROUPS[command.name()];
    if (group) command.helpGroup(group);
  }
  program.commandsGroup('Tools:');
  program.helpCommand('help [command]', 'help for a command');
}
