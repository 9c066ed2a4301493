const encoder = new TextEncoder();

/**
 * Compares two strings in time that depends only on their lengths, so that
 * guessing a `state` byte by byte from response times does not work.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let difference = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return difference === 0;
}
