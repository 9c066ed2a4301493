function isLoopbackIp(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(url.hostname));
}

/**
 * Whether `requested` is one of the `registered` callback URIs: an exact
 * string match, except that a loopback IP URI matches on any port, as native
 * apps listen on whatever port is free.
 *
 * @example
 * ```ts
 * isRegisteredRedirectUri(['http://127.0.0.1/callback'], 'http://127.0.0.1:53682/callback'); // true
 * isRegisteredRedirectUri(['https://app.example.com/cb'], 'https://app.example.com/cb?x=1'); // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3
 */
export function isRegisteredRedirectUri(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  let candidate: URL;
  try {
    candidate = new URL(requested);
  } catch {
    return false;
  }
  if (!isLoopbackIp(candidate) || candidate.username || candidate.password || candidate.hash) return false;
  // Compare everything but the port, on the URIs as given (no normalisation beyond the port).
  const withoutPort = (uri: string) =>
    uri.replace(/^(http:\/\/(?:\[::1\]|127(?:\.\d{1,3}){3}))(?::\d+)?(?=[/?]|$)/, '$1');
  const wanted = withoutPort(requested);
  return registered.some((uri) => {
    try {
      return isLoopbackIp(new URL(uri)) && withoutPort(uri) === wanted;
    } catch {
      return false;
    }
  });
}
