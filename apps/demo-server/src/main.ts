import { isGrantKitError } from '@grantkit/core';
import { readConfig } from './config.js';
import { DEMO_ACCOUNTS } from './embedded-mocks.js';
import { startDemoServer } from './start-demo-server.js';

function banner(server: Awaited<ReturnType<typeof startDemoServer>>): string {
  const lines = [`grantkit demo listening on ${server.url}`];
  if (server.smartconnect.provider === 'embedded') {
    const { username, password } = DEMO_ACCOUNTS.smartconnectUser;
    lines.push(
      `  SmartConnect (embedded mock at ${server.mocks?.smartconnect.url}): sign in as ${username} / ${password}`,
    );
  } else {
    lines.push('  SmartConnect: the real provider from SMARTCONNECT_REGION / SMARTCONNECT_BASE_URL');
  }
  if (server.smithcart.provider === 'embedded') {
    lines.push(
      `  SmithCart (embedded mock at ${server.smithcart.baseUrl}): client ${DEMO_ACCOUNTS.smithcartClientId}, approve as ${DEMO_ACCOUNTS.smithcartUserName}`,
    );
  } else {
    lines.push(`  SmithCart: ${server.smithcart.baseUrl} as client ${server.smithcart.clientId}`);
  }
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}

try {
  const server = await startDemoServer({ config: readConfig(process.env) });
  console.log(banner(server));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(isGrantKitError(error) ? error.message : `The demo could not start: ${String(error)}`);
  process.exitCode = 1;
}
