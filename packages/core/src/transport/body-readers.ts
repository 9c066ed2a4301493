import { NetworkError } from '../errors/network-error.js';
import { bodyTooLarge, type Exchange, notJson, parseJsonBody } from './response-reader.js';

/** What the body readers of one answer need. */
interface Reading {
  exchange: () => Exchange;
  /** The byte cap, or `undefined` when `Content-Length` already showed the body fits. */
  maxBytes: number | undefined;
}

const readings = new WeakMap<Response, Reading>();
const native = Response.prototype;

function nameOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
}

function failure(response: Response, error: unknown): never {
  // undici's `TypeError: terminated` when the connection drops in the middle of the body.
  if (nameOf(error) === 'TypeError') {
    const exchange = readings.get(response)?.exchange();
    throw new NetworkError(exchange ? `${exchange.method} ${exchange.url}` : 'the API', { cause: error });
  }
  throw error;
}

/** The whole body as bytes, up to the cap: over it, the rest is cancelled and the read fails with a typed error. */
async function cappedBytes(response: Response, reading: Reading & { maxBytes: number }): Promise<Uint8Array> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > reading.maxBytes) {
      reader.cancel().catch(() => undefined);
      throw bodyTooLarge(response.status, reading.exchange(), reading.maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function bytesOf(response: Response): Promise<Uint8Array> {
  const reading = readings.get(response);
  if (reading?.maxBytes === undefined)
    return native.arrayBuffer.call(response).then((buffer) => new Uint8Array(buffer));
  return cappedBytes(response, reading as Reading & { maxBytes: number });
}

// Shared by every answer, so installing them costs no closure per request.
function text(this: Response): Promise<string> {
  const reading = readings.get(this);
  const read =
    reading?.maxBytes === undefined
      ? native.text.call(this)
      : cappedBytes(this, reading as Reading & { maxBytes: number }).then((bytes) => new TextDecoder().decode(bytes));
  return read.catch((error: unknown) => failure(this, error));
}

function json(this: Response): Promise<unknown> {
  return text.call(this).then((body) => {
    const exchange = readings.get(this)?.exchange() ?? { method: 'GET', url: this.url, secrets: [] };
    return parseJsonBody(body, this.status, exchange);
  });
}

function arrayBuffer(this: Response): Promise<ArrayBuffer> {
  return bytesOf(this).then(
    (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    (error: unknown) => failure(this, error),
  );
}

function bytes(this: Response): Promise<Uint8Array> {
  return bytesOf(this).catch((error: unknown) => failure(this, error));
}

function blob(this: Response): Promise<Blob> {
  const type = this.headers.get('content-type') ?? '';
  return bytesOf(this).then(
    (body) => new Blob([body as Uint8Array<ArrayBuffer>], { type }),
    (error: unknown) => failure(this, error),
  );
}

/**
 * Gives an API answer body readers that enforce the byte cap (without a stream in between: a `Content-Length`
 * within the cap needs no counting) and turn a connection dropped mid-body into `NetworkError`; `json()`
 * failing on a body that is not JSON is the response reader's `InvalidResponseError`. Too large a
 * `Content-Length` fails at once.
 */
export function withBodyReaders(response: Response, maxBytes: number, exchange: () => Exchange): Response {
  const length = response.headers.get('content-length');
  if (length !== null && Number(length) > maxBytes) {
    response.body?.cancel().catch(() => undefined);
    throw bodyTooLarge(response.status, exchange(), maxBytes);
  }
  readings.set(response, { exchange, maxBytes: length === null ? maxBytes : undefined });
  Object.assign(response, { text, json, arrayBuffer, bytes, blob });
  return response;
}

/** Whether a failed `.json()` of ky failed because the body is not JSON, and the reader's error for it. */
export function notJsonError(response: Response, error: unknown): unknown {
  if (nameOf(error) !== 'SyntaxError') return error;
  return notJson(response.status, readings.get(response)?.exchange() ?? { method: 'GET', url: response.url });
}
