import * as messages from '#messages';
import { HttpError } from '../errors/http-error.js';
import { InvalidResponseError, type ResponseIssue } from '../errors/invalid-response-error.js';
import { NetworkError } from '../errors/network-error.js';
import { redactBody, redactUrl } from '../redact.js';

/** The byte cap of token responses and error bodies: 1 MiB. */
export const DEFAULT_ERROR_BODY_BYTES: number = 1024 * 1024;

/** What an error may say about the exchange it reports: `METHOD url` (URL already redacted) and the secrets to scrub. */
export interface Exchange {
  method: string;
  /** The request URL, already redacted. */
  url: string;
  /** Every secret sent for this exchange, on any attempt. */
  secrets: readonly string[];
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

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The {@link HttpError} of a non-2xx answer whose (capped) body is `text`: parsed where it is JSON,
 * secret-looking fields redacted, and every secret sent scrubbed.
 */
export function httpError(status: number, text: string, exchange: Exchange): HttpError {
  // A cut-off token response is not JSON, so redactBody cannot find its fields.
  const body =
    text === ''
      ? undefined
      : /access_token/i.test(text) && !isJson(text)
        ? '[REDACTED]'
        : redactBody(text, exchange.secrets);
  return new HttpError({ status, method: exchange.method, url: exchange.url, body });
}

/** The {@link NetworkError} of a request that got no answer (`cause`: what `fetch` rejected with). */
export function networkError(request: Pick<Request, 'method' | 'url'>, cause: unknown): NetworkError {
  return new NetworkError(`${request.method} ${redactUrl(request.url)}`, { cause });
}

/** The answer has a status or shape other than the protocol's (or the caller's schema). */
export function unexpectedAnswer(
  summary: string | undefined,
  status: number,
  issues?: readonly ResponseIssue[],
): InvalidResponseError {
  return new InvalidResponseError(summary, { status, ...(issues ? { issues } : {}) });
}

/** The body is larger than the cap the caller set. */
export function bodyTooLarge(
  status: number,
  exchange: Pick<Exchange, 'method' | 'url'>,
  maxBytes: number,
): InvalidResponseError {
  return unexpectedAnswer(messages.answerTooLarge(`${exchange.method} ${exchange.url}`, maxBytes), status, [
    { path: '', message: `must be at most ${maxBytes} bytes (raise maxBodyBytes if it is expected)` },
  ]);
}

/** A body that should be JSON, parsed; one that is not → {@link InvalidResponseError} that quotes nothing. */
export function parseJsonBody(text: string, status: number, exchange: Pick<Exchange, 'method' | 'url'>): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw unexpectedAnswer(messages.answerNotJson(`${exchange.method} ${exchange.url}`), status, [
      { path: '', message: 'must be JSON' },
    ]);
  }
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
  throw unexpectedAnswer(messages.answerNotMatching(what), status, issues);
}

/**
 * Reads an answer of the transport (its body is in memory already, within the cap): a non-2xx one is an
 * {@link HttpError}; a 2xx one is its JSON body, checked against `schema` when one is given (a body that is
 * not JSON, or does not match → {@link InvalidResponseError}). The one reader of every exchange made without ky.
 *
 * @example
 * ```ts
 * const me = await readResponse(await transport.fetch(request), transport.exchange(request), userSchema);
 * ```
 */
export async function readResponse<T = unknown>(
  response: Response,
  exchange: Exchange,
  schema?: StandardSchema<T>,
): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw httpError(response.status, text, exchange);
  const value = parseJsonBody(text, response.status, exchange);
  if (schema === undefined) return value as T;
  return validateBody(schema, value, response.status, `The answer to ${exchange.method} ${exchange.url}`);
}
