/**
 * An epoch-ms instant as ISO 8601. An instant beyond what `Date` can represent
 * (a provider may announce an absurd `expires_in`) is written as a number of
 * milliseconds instead of making `toISOString()` throw. Every date the command
 * line shows or prints as JSON goes through here.
 */
export function formatInstant(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? `${epochMs} ms after the epoch` : date.toISOString();
}
