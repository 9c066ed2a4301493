/**
 * Compares two strings in time that depends only on their lengths, so that
 * guessing a `state` byte by byte from response times does not work.
 *
 * No test can tell this loop from `a === b`: both give the same answer for
 * every input, only the time differs, so swapping in `===` passes every test.
 * A timing test cannot see it either: on a shared machine the noise is far
 * larger than the time of one character's compare, so it would be flaky and
 * prove nothing. Keep the loop.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function timingSafeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  // Past the end of `b`, charCodeAt gives NaN, which XOR counts as 0; the length check has already differed.
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
