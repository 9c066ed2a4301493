import { isGrantKitError } from '@grantkit/core';
import { type DemoConfig, LOOPBACK_HOST_NAMES, readConfig } from './config.js';
import { DEMO_ACCOUNTS } from './embedded-mocks.js';
import { startDemoServer } from './start-demo-server.js';
import { redisAddress } from './start-redis-sessions.js';
import { startTracing, type Tracing } from './tracing.js';

function banner(
  server: Awaited<ReturnType<typeof startDemoServer>>,
  config: DemoConfig,
  tracing: Tracing | undefined,
): string {
  const lines = [`grantkit demo listening on ${server.url}`];
  if (config.allowedHosts.length > LOOPBACK_HOST_NAMES.length) {
    lines.push(`  Answers to the host names ${config.allowedHosts.join(', ')} (ALLOWED_HOSTS adds more)`);
  }
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
  if (config.redis) {
    lines.push(
      `  Sessions and SmartConnect tokens: in Redis at ${redisAddress(config.redis.url)}, shared by every instance`,
    );
  }
  if (tracing) {
    lines.push(`  Traces: grantkit's spans over OTLP/HTTP to ${tracing.url}, as service ${tracing.serviceName}`);
  }
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}

let tracing: Tracing | undefined;
try {
  const config = readConfig(process.env);
  tracing = await startTracing(process.env);
  const server = await startDemoServer({ config });
  let stopping = false;
  // Every SIGINT is handled, the repeats too: `pnpm demo` passes the terminal's Ctrl+C on a second time.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the demo…');
    // The spans of the last requests are sent once the server has stopped taking new ones.
    server
      .close()
      .finally(() => tracing?.shutdown())
      .then(
        () => {
          console.log('Stopped.');
          process.exit(0);
        },
        (error: unknown) => {
          console.error(`The demo did not stop cleanly: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Only now: whoever reads the banner may press Ctrl+C at once.
  console.log(banner(server, config, tracing));
} catch (error) {
  console.error(isGrantKitError(error) ? error.message : `The demo could not start: ${String(error)}`);
  await tracing?.shutdown();
  process.exitCode = 1;
}
