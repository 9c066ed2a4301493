import { Command, Option } from 'commander';
import { smartConnectCall, smartConnectLogin, smartConnectLogout } from './commands/smartconnect.js';
import { smithCartLogin, smithCartLogout, smithCartOrders, smithCartWhoami } from './commands/smithcart.js';
import type { CommandContext, GlobalOptions } from './context.js';
import { exitCodeHelp } from './exit-codes.js';
import { RUN } from './invocation.js';

/** Runs one command with its context, and always cleans up (mock servers, listeners). */
export type Runner = (command: Command, action: (context: CommandContext) => Promise<void>) => Promise<void>;

const environmentHelp = `Environment:
  SMARTCONNECT_USERNAME, SMARTCONNECT_PASSWORD      who signs in (the password is never an option)
  SMARTCONNECT_CLIENT_ID, SMARTCONNECT_CLIENT_SECRET the REST application registration
  SMARTCONNECT_REGION, SMARTCONNECT_BASE_URL        where (instead of --region / --base-url)
  SMITHCART_BASE_URL, SMITHCART_CLIENT_ID           where and as which application (SmithCart)
  GRANTKIT_DEMO_MOCK=1                              same as --mock
  GRANTKIT_DEMO_HOME                                directory of sessions.json (default: the per-user config directory)`;

const examples = `Run it from the repository root as \`${RUN} …\` (it builds what is needed first; -s keeps pnpm's
own lines off stdout), or as \`node apps/demo-cli/dist/cli.js …\` after \`pnpm build\`.

Examples:
  $ ${RUN} smartconnect login --mock                      sign in to the built-in mock (password: demo-password)
  $ SMARTCONNECT_PASSWORD=… ${RUN} smartconnect login --region EU --username ada@example.com
  $ ${RUN} smartconnect call GET api/v1/me --json
  $ ${RUN} smithcart login --mock --scope "private orders"
  $ ${RUN} smithcart orders --all --json --mock | jq '.orders | length'
  $ ${RUN} smithcart logout --mock`;

/** Reads the global options wherever they stand: before or after the subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** The `grantkit-demo` command tree; `run` executes each action. */
export function createProgram(run: Runner): Command {
  const program = new Command('grantkit-demo')
    .description(
      'Reference command line for grantkit: sign in to SmartConnect (password grant) or SmithCart (implicit grant) and call their APIs.',
    )
    .addOption(new Option('--json', 'print one JSON document on stdout (for scripts)'))
    .addOption(new Option('--mock', 'use the built-in mock providers on 127.0.0.1: no network, no account'))
    .addOption(new Option('--debug', 'show stack traces of errors'))
    .showHelpAfterError('(run with --help for usage)')
    // Each command's --help also lists --json, --mock and --debug, which every command takes.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `\n${examples}\n\n${environmentHelp}\n\n${exitCodeHelp}`)
    .exitOverride();

  const smartconnect = program
    .command('smartconnect')
    .description('SmartConnect with the Resource Owner Password Credentials grant')
    .addHelpText('after', `\n${exitCodeHelp}`);
  smartconnect
    .command('login')
    .description('sign in with a username and password; stores the token, never the password')
    .option('--region <region>', 'NA, NA2, NA3, UK, EU, EU2 or AU')
    .option('--base-url <url>', 'another SmartConnect host (https:, or http: on loopback)')
    .option('--username <email>', 'who signs in (default: SMARTCONNECT_USERNAME, or a prompt)')
    .addHelpText(
      'after',
      `\nThe password comes from a hidden prompt or SMARTCONNECT_PASSWORD, the client id and secret from\nSMARTCONNECT_CLIENT_ID / SMARTCONNECT_CLIENT_SECRET or a prompt.\n\nExample:\n  $ SMARTCONNECT_PASSWORD=demo-password ${RUN} smartconnect login --mock`,
    )
    .action((options, command: Command) => run(command, (context) => smartConnectLogin(context, options)));
  smartconnect
    .command('call')
    .description(
      'call the API with the stored token (renewed when SMARTCONNECT_PASSWORD and the client secret are set)',
    )
    .argument('<method>', 'GET, HEAD, POST, PUT, PATCH or DELETE')
    .argument('<path>', 'path under the API root, such as api/v1/me')
    .option('--data <json>', 'JSON request body')
    .option('--region <region>', 'where to renew the token with SMARTCONNECT_PASSWORD (or SMARTCONNECT_REGION)')
    .option('--base-url <url>', 'another SmartConnect host to renew the token at (or SMARTCONNECT_BASE_URL)')
    .addHelpText('after', `\nExample:\n  $ ${RUN} smartconnect call GET api/v1/contacts --mock`)
    .action((method: string, path: string, options, command: Command) =>
      run(command, (context) => smartConnectCall(context, method, path, options)),
    );
  smartconnect
    .command('logout')
    .description('delete the stored SmartConnect token')
    .action((_options, command: Command) => run(command, smartConnectLogout));

  const smithcart = program
    .command('smithcart')
    .description('SmithCart with the Implicit grant through a loopback redirect')
    .addHelpText('after', `\n${exitCodeHelp}`);
  smithcart
    .command('login')
    .description('authorize in the browser; a listener on 127.0.0.1 receives the token')
    .option('--scope <scopes>', 'scopes to request, space- or comma-separated', 'private orders')
    .option('--base-url <url>', 'SmithCart API root (default: SMITHCART_BASE_URL, or a prompt)')
    .option('--client-id <id>', 'your application client id (default: SMITHCART_CLIENT_ID, or a prompt)')
    .option('--no-open', 'print the authorization address instead of opening the browser')
    .option('--timeout <seconds>', 'give up waiting for the browser after this long', '300')
    .addHelpText('after', `\nExample:\n  $ ${RUN} smithcart login --mock --no-open --scope "private orders"`)
    .action((options, command: Command) => run(command, (context) => smithCartLogin(context, options)));
  smithcart
    .command('whoami')
    .description('show the signed-in SmithCart user')
    .action((_options, command: Command) => run(command, smithCartWhoami));
  smithcart
    .command('orders')
    .description("list a user's orders")
    .option('--user <username>', 'whose orders (me: the signed-in user)', 'me')
    .option('--all', 'follow the Link header through every page')
    .option('--per-page <n>', 'orders per page')
    .addHelpText('after', `\nExample:\n  $ ${RUN} smithcart orders --all --json --mock | jq '.orders | length'`)
    .action((options, command: Command) => run(command, (context) => smithCartOrders(context, options)));
  smithcart
    .command('logout')
    .description('delete the stored SmithCart token')
    .action((_options, command: Command) => run(command, smithCartLogout));

  return program;
}
