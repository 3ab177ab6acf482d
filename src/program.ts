import { Command, Option } from 'commander';
import { registerAuth } from './commands/auth/register.js';
import { registerCompletion } from './commands/completion/register.js';
import { registerConfig } from './commands/config/register.js';
import { createRegisterContext, type DepsFactory } from './commands/define.js';
import { registerDoctor } from './commands/doctor/register.js';
import { registerFulfillmentServices } from './commands/fulfillment-services/register.js';
import { registerInventory } from './commands/inventory/register.js';
import { registerLocations } from './commands/locations/register.js';
import { registerOrders } from './commands/orders/register.js';
import { registerRequests } from './commands/requests/register.js';
import { registerReturns } from './commands/returns/register.js';
import { registerSandbox } from './commands/sandbox/register.js';
import { registerSchema } from './commands/schema/register.js';
import { registerShip } from './commands/ship/register.js';
import { registerState } from './commands/state/register.js';
import { registerStores } from './commands/stores/register.js';
import { EXIT_CODES_HELP } from './core/exit-codes.js';
import { VERSION } from './version.js';

/**
 * The command tree. Only commander and the register files load here: every command's module
 * is imported when it runs, so `--help` and `--version` stay fast.
 */
export function buildProgram(makeDeps: DepsFactory): Command {
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
  registerAuth(program, ctx);
  registerStores(program, ctx);
  registerConfig(program, ctx);
  registerLocations(program, ctx);
  registerFulfillmentServices(program, ctx);
  registerOrders(program, ctx);
  registerRequests(program, ctx);
  registerShip(program, ctx);
  registerInventory(program, ctx);
  registerReturns(program, ctx);
  registerSchema(program, ctx);
  registerState(program, ctx);
  registerDoctor(program, ctx);
  registerSandbox(program, ctx);
  registerCompletion(program, ctx);
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
