/**
 * Removes the `#access_token=…` fragment from the address bar and from the
 * browser's history: the current entry is replaced (`history.replaceState`),
 * so Back does not bring the token back and no new entry is added. Call it
 * right after {@link handleCallback}, whatever its outcome. Does nothing
 * where there is no `history` (Node, workers).
 *
 * @example
 * ```ts
 * try {
 *   const { token } = await handleCallback(location.href);
 *   useToken(token);
 * } finally {
 *   clearCallbackFragment();
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.3.2
 */
export function clearCallbackFragment(): void {
  const { history, location } = globalThis as { history?: History; location?: Location };
  if (!history || !location) return;
  // Stryker disable next-line StringLiteral: browsers ignore replaceState's title argument.
  history.replaceState(history.state, '', location.pathname + location.search);
}
