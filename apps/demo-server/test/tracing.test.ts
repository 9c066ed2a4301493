import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterEach, describe, expect, it, jest } from '@jest/globals';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const BANNER = 'Press Ctrl+C to stop.';
// Prints each package the process resolves under @opentelemetry/ or @grantkit/opentelemetry, to tell what it loaded.
const RESOLVE_SPY = `data:text/javascript,${encodeURIComponent(
  "import { registerHooks } from 'node:module'; registerHooks({ resolve(specifier, context, next) { if (/^@(opentelemetry\\/|grantkit\\/opentelemetry)/.test(specifier)) console.log('resolved ' + specifier); return next(specifier, context); } });",
)}`;
jest.setTimeout(90_000);

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpSpan {
  name: string;
  kind: number;
  spanId: string;
  parentSpanId?: string;
  attributes: OtlpAttribute[];
}
interface OtlpTraces {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** One `src/main.ts` process, as `pnpm demo` runs it (from source here). */
interface Demo {
  url: string;
  output: () => string;
  /** Sends SIGINT (Ctrl+C) and resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

function startDemo(env: Record<string, string>): Promise<Demo> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@grantkit/source', '--import', RESOLVE_SPY, '--import', 'tsx', MAIN],
    { env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  closing.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /grantkit demo listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes(BANNER)) {
        resolve({
          url,
          output: () => output,
          interrupt: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
  });
}

/** A SmartConnect of the test's own, which remembers every token it issued. */
async function smartconnectProvider(): Promise<{ server: ServedHandler; tokens: string[] }> {
  const mock = createMockSmartConnect({ includeExpiresIn: true });
  const tokens: string[] = [];
  const server = await serveFetchHandler(async (request) => {
    const response = await mock(request);
    if (new URL(request.url).pathname === '/token' && response.ok) {
      tokens.push(((await response.clone().json()) as { access_token: string }).access_token);
    }
    return response;
  });
  closing.push(() => server.close());
  return { server, tokens };
}

/** Signs in through the demo's form route, then loads the page and calls the API through its routes. */
async function useTheDemo(url: string): Promise<void> {
  const signedIn = await fetch(`${url}/smartconnect/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ username: SMARTCONNECT_DEMO_USER.username, password: SMARTCONNECT_DEMO_USER.password }),
  });
  expect(signedIn.status).toBe(303);
  const cookie = signedIn.headers.getSetCookie()[0]?.split(';')[0] as string;
  expect(await (await fetch(`${url}/`, { headers: { cookie } })).text()).toContain('Demo User');
  const called = await fetch(`${url}/smartconnect/call`, {
    method: 'POST',
    headers: { cookie, origin: url, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(await called.json()).toMatchObject({ signedIn: true, sample: { ok: true } });
}

const providerEnv = (providerUrl: string) => ({
  SMARTCONNECT_BASE_URL: providerUrl,
  SMARTCONNECT_CLIENT_ID: SMARTCONNECT_DEMO_CLIENT.clientId,
  SMARTCONNECT_CLIENT_SECRET: SMARTCONNECT_DEMO_CLIENT.clientSecret,
});

describe('the demo server with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('sends the token acquisition and its token request as spans to that OTLP/HTTP receiver, flushed on Ctrl+C, with no secret', async () => {
    const bodies: string[] = [];
    const contentTypes: (string | null)[] = [];
    const receiver = await serveFetchHandler(async (request) => {
      contentTypes.push(request.headers.get('content-type'));
      bodies.push(`${new URL(request.url).pathname} ${await request.text()}`);
      return Response.json({});
    });
    closing.push(() => receiver.close());
    const { server: provider, tokens } = await smartconnectProvider();

    const demo = await startDemo({ ...providerEnv(provider.url), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect(demo.output()).toContain(
      `Traces: grantkit's spans over OTLP/HTTP to ${receiver.url}/v1/traces, as service demo-server`,
    );
    await useTheDemo(demo.url);
    // The batch processor sends every 5 s: what arrives now was flushed by Ctrl+C.
    expect(bodies).toEqual([]);
    expect(await demo.interrupt()).toBe(0);
    expect(demo.output()).toMatch(/Stopping the demo…\nStopped\.\n$/);

    expect(bodies.length).toBeGreaterThan(0);
    expect(contentTypes.every((type) => type?.startsWith('application/json'))).toBe(true);
    expect(bodies.every((body) => body.startsWith('/v1/traces '))).toBe(true);
    const traces = bodies.map((body) => JSON.parse(body.slice('/v1/traces '.length)) as OtlpTraces);
    const resources = traces.flatMap(({ resourceSpans }) => resourceSpans.map(({ resource }) => resource));
    expect(resources[0]?.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'demo-server' } });
    const spans = traces.flatMap(({ resourceSpans }) =>
      resourceSpans.flatMap(({ scopeSpans }) => scopeSpans.flatMap((scope) => scope.spans)),
    );
    const fetched = spans.filter(
      (span) =>
        span.name === 'grantkit.token.acquire' &&
        span.attributes.some(({ key, value }) => key === 'grantkit.token.outcome' && value.stringValue === 'fetched'),
    );
    expect(fetched).toHaveLength(1);
    const tokenRequest = spans.find((span) => span.parentSpanId === fetched[0]?.spanId);
    // OTLP SpanKind: 1 INTERNAL, 3 CLIENT.
    expect([fetched[0]?.kind, tokenRequest?.kind]).toEqual([1, 3]);
    expect(tokenRequest?.name).toBe('POST');
    expect(tokenRequest?.attributes).toContainEqual({
      key: 'url.full',
      value: { stringValue: `${provider.url}/token` },
    });
    expect(tokenRequest?.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: 200 } });

    expect(tokens).toHaveLength(1);
    const received = bodies.join('\n');
    for (const secret of [
      ...tokens,
      SMARTCONNECT_DEMO_USER.password,
      SMARTCONNECT_DEMO_USER.username,
      SMARTCONNECT_DEMO_CLIENT.clientSecret,
      SMARTCONNECT_DEMO_CLIENT.clientId,
    ]) {
      expect(received).not.toContain(secret);
    }
    expect(demo.output()).toMatch(/^resolved @opentelemetry\/sdk-trace$/m);
  });

  it('names the service after OTEL_SERVICE_NAME when it is set', async () => {
    const receiver = await serveFetchHandler(() => Response.json({}));
    closing.push(() => receiver.close());
    const demo = await startDemo({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'checkout-demo' });
    expect(demo.output()).toContain('as service checkout-demo');
    expect(await demo.interrupt()).toBe(0);
  });

  it('refuses to start when the variable is not an http(s) URL, and says what it should be', async () => {
    await expect(startDemo({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).rejects.toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT must be the http(s) URL of an OTLP/HTTP receiver, such as http://127.0.0.1:4318.',
    );
  });
});

describe('the demo server without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('loads nothing of OpenTelemetry and prints no traces line', async () => {
    const { server: provider } = await smartconnectProvider();
    const demo = await startDemo(providerEnv(provider.url));
    await useTheDemo(demo.url);
    expect(await demo.interrupt()).toBe(0);
    expect(demo.output()).not.toContain('Traces:');
    expect(demo.output()).not.toMatch(/^resolved /m);
  });
});
