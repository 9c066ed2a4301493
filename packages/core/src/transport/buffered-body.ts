import { bodyTooLarge, DEFAULT_ERROR_BODY_BYTES, type Exchange, networkError } from './read-response.js';

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The answer with its body read into memory, so that whoever reads it (ky, a caller, an error) reads it at
 * once and no further cap or timer is needed: a 2xx body up to `maxBytes` (more → `InvalidResponseError`, the
 * rest cancelled), an error body up to 1 MiB (the rest cut off). A connection dropped in the middle →
 * `NetworkError`; an abort of the request → its signal's reason. An answer without a body is returned as it is.
 */
export async function bufferedBody(
  response: Response,
  request: Request,
  maxBytes: number,
  exchange: () => Exchange,
): Promise<Response> {
  const { body, ok, status } = response;
  if (body === null || status === 204 || status === 205 || request.method === 'HEAD') return response;
  const cap = ok ? maxBytes : DEFAULT_ERROR_BODY_BYTES;
  if (ok && Number(response.headers.get('content-length')) > cap) {
    body.cancel().catch(() => undefined);
    throw bodyTooLarge(status, exchange(), cap);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > cap) {
        reader.cancel().catch(() => undefined);
        if (ok) throw bodyTooLarge(status, exchange(), cap);
        chunks.push(value.subarray(0, cap - size));
        size = cap;
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    if (request.signal.aborted) throw request.signal.reason;
    // undici's `TypeError: terminated` when the connection drops in the middle of the body.
    if ((error as { name?: unknown } | null)?.name !== 'TypeError') throw error;
    // An error answer that broke off tells nothing more than its status.
    if (!ok) return new Response(null, response);
    throw networkError(request, error);
  }
  const headers = truncated ? new Headers(response.headers) : response.headers;
  if (truncated) headers.delete('content-length');
  const copy = new Response(concat(chunks, size) as Uint8Array<ArrayBuffer>, {
    status,
    statusText: response.statusText,
    headers,
  });
  // Link and Location resolve against the answer's URL, which a constructed Response does not have.
  if (response.url) Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}
