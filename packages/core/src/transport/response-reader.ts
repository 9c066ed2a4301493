import { HttpError } from '../errors/http-error.js';
import { InvalidResponseError, type ResponseIssue } from '../errors/invalid-response-error.js';
import { NetworkError } from '../errors/network-error.js';
import { redactBody } from '../redact.js';

/** The byte cap of token responses and error bodies: 1 MiB. */
export const DEFAULT_ERROR_BODY_BYTES: number = 1024 * 1024;

/** What a reader says about the exchange it reads: `METHOD url` (URL already redacted) and the secrets to scrub. */
export interface Exchange {
  method: string;
  /** The request URL, already redacted. */
  url: string;
  /** Every secret sent for this exchange, on any attempt. */
  secrets: readonly string[];
}

/** A body read up to a byte cap. */
export interface CappedText {
  text: string;
  /** Whether the body went on past the cap (the rest was not read). */
  truncated: boolean;
}

/** A minimal Standard Schema (valibot, zod, arktype, … implement it). */
export interface StandardSchema<Output = unknown> {
  readonly '~standard': {
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
  };
}

type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: readonly {
        readonly message: string;
        readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
      }[];
    };

/** Errors of reading a body that the stash keeps for the exchange's error; see {@link stashErrorText}. */
const stashed = new WeakMap<Response, CappedText>();

/**
 * Reads at most `maxBytes` of a body as UTF-8 text and cancels the rest: a huge answer costs at most the cap.
 *
 * @example
 * ```ts
 * const { text, truncated } = await readCappedText(response, 1024 * 1024);
 * ```
 */
export async function readCappedText(response: Response, maxBytes: number): Promise<CappedText> {
  const own = stashed.get(response);
  if (own) return own;
  const { body } = response;
  if (body === null) return { text: '', truncated: false };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), truncated: false };
    const room = maxBytes - size;
    if (value.byteLength > room) {
      text += decoder.decode(value.subarray(0, room));
      reader.cancel().catch(() => undefined);
      return { text, truncated: true };
    }
    size += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * {@link readCappedText} for an exchange: a connection dropped in the middle of the body → `NetworkError`
 * (the deadline's `TimeoutError` and a caller's abort reason pass through).
 *
 * @example
 * ```ts
 * const { text, truncated } = await readText(response, transport.exchange(request), DEFAULT_ERROR_BODY_BYTES);
 * ```
 */
export async function readText(response: Response, exchange: Exchange, maxBytes: number): Promise<CappedText> {
  try {
    return await readCappedText(response, maxBytes);
  } catch (error) {
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    if (name === 'TypeError') throw new NetworkError(`${exchange.method} ${exchange.url}`, { cause: error });
    throw error;
  }
}

/**
 * Reads an error answer's body (capped) and returns a response that carries it in memory, so whoever reads it
 * next (ky's `HTTPError`, a caller) costs nothing more, and {@link httpError} finds the text again.
 */
export async function stashErrorText(response: Response, maxBytes: number): Promise<Response> {
  let read: CappedText;
  try {
    read = await readCappedText(response, maxBytes);
  } catch {
    // A body that broke off tells nothing more than its status.
    read = { text: '', truncated: true };
  }
  const copy = new Response(read.text, { status: response.status, statusText: response.statusText });
  for (const [name, value] of response.headers) if (name !== 'content-length') copy.headers.append(name, value);
  stashed.set(copy, read);
  return copy;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The {@link HttpError} of a non-2xx answer: its body parsed where it is JSON, secret-looking fields redacted,
 * and every secret sent scrubbed. The only place an `HttpError` is built from an answer.
 */
export async function httpError(response: Response, exchange: Exchange): Promise<HttpError> {
  let body: unknown;
  try {
    const { text } = await readCappedText(response, DEFAULT_ERROR_BODY_BYTES);
    // A cut-off token response is not JSON, so redactBody cannot find its fields.
    body = /access_token/i.test(text) && !isJson(text) ? '[REDACTED]' : redactBody(text, exchange.secrets);
  } catch {
    body = undefined;
  }
  return new HttpError({ status: response.status, method: exchange.method, url: exchange.url, body });
}

/** The body is larger than the cap the caller set. */
export function bodyTooLarge(status: number, exchange: Exchange, maxBytes: number): InvalidResponseError {
  return new InvalidResponseError(`The answer to ${exchange.method} ${exchange.url} is larger than ${maxBytes} bytes`, {
    status,
    issues: [{ path: '', message: `must be at most ${maxBytes} bytes (raise maxBodyBytes if it is expected)` }],
  });
}

/** A body that should be JSON, parsed; a body that is not JSON → {@link InvalidResponseError} that quotes nothing. */
export function parseJsonBody(text: string, status: number, exchange: Pick<Exchange, 'method' | 'url'>): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw notJson(status, exchange);
  }
}

/** The {@link InvalidResponseError} of a body that is not JSON. */
export function notJson(status: number, exchange: Pick<Exchange, 'method' | 'url'>): InvalidResponseError {
  return new InvalidResponseError(`The answer to ${exchange.method} ${exchange.url} is not JSON`, {
    status,
    issues: [{ path: '', message: 'must be JSON' }],
  });
}

function pathOf(path: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined): string {
  if (!path) return '';
  return path.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
}

/**
 * A value checked against a Standard Schema (a valibot schema qualifies); a mismatch →
 * {@link InvalidResponseError} listing paths and messages, never values.
 */
export async function validateBody<T>(
  schema: StandardSchema<T>,
  value: unknown,
  status: number,
  what: string,
): Promise<T> {
  const result = await schema['~standard'].validate(value);
  if (result.issues === undefined) return result.value;
  const issues: ResponseIssue[] = result.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
  throw new InvalidResponseError(`${what} does not match the expected schema`, { status, issues });
}

/** The answer has a status or shape other than the protocol's. */
export function unexpectedAnswer(
  summary: string,
  status: number,
  issues?: readonly ResponseIssue[],
): InvalidResponseError {
  return new InvalidResponseError(summary, { status, ...(issues ? { issues } : {}) });
}
