/**
 * Removes the `#access_token=…` fragment from the address bar and from the
 * tab's session history: the current entry is replaced (`history.replaceState`),
 * so Back does not bring the token back and no new entry is added. Call it
 * right after {@link handleCallback}, whatever its outcome. Does nothing
 * where there is no `history` (Node, workers).
 *
 * It cannot reach the browser's on-disk history: the page was loaded with the
 * fragment, and Chromium (at least) has already written
 * `callback.html#access_token=…` to its History database, where it stays until
 * the user clears it. So anyone with the user's profile can read tokens there
 * (as well as extensions that read history): request short-lived tokens, and
 * treat this as a limit of the implicit grant that no client code removes.
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
