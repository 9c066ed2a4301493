// The headers ky reads a server's requested delay from, in ky's order.
const DELAY_HEADERS = [
  'retry-after',
  'ratelimit-reset',
  'x-ratelimit-retry-after',
  'x-ratelimit-reset',
  'x-rate-limit-reset',
];

/**
 * The delay a 413/429/503 asks for, in ms, read as ky reads it, or `undefined` when it names none.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function requestedDelayMs(headers: Headers): number | undefined {
  const value = DELAY_HEADERS.map((name) => headers.get(name)).find((header) => header !== null);
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isNaN(seconds)) return Date.parse(value) - Date.now();
  const ms = seconds * 1000;
  // ky reads a large number as a timestamp.
  return ms >= Date.parse('2024-01-01') ? ms - Date.now() : ms;
}
