/**
 * An epoch-ms instant as ISO 8601 for messages. Instants beyond what `Date`
 * can represent (a provider may announce an absurd lifetime) print as a number
 * instead of making `toISOString()` throw.
 */
export function formatInstant(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? `${epochMs} ms after the epoch` : date.toISOString();
}
