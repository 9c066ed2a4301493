/**
 * Compares two strings in time that depends only on their lengths, so that
 * guessing a `state` byte by byte from response times does not work.
 *
 * No test can tell this from `a === b`: both give the same answer for every
 * input, and only the time differs. Timing in a test run on a shared machine
 * is noise many times larger than one character's compare, so a timing test
 * would be flaky and prove nothing; mutation testing lists such mutants as
 * survivors, and that is expected here. Keep the loop as it is.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function timingSafeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  // Past the end of `b`, charCodeAt gives NaN, which XOR counts as 0; the length check has already differed.
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
