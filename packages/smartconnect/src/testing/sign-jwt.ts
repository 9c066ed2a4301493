const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Random bytes as base64url, for opaque tokens and JWT ids. */
export function randomToken(byteLength: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** An HS256 signer with a random key of its own, as a real issuer would hold. */
export function createJwtSigner(): (claims: Record<string, unknown>) => Promise<string> {
  const key = crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const header = base64url(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  return async (claims) => {
    const input = `${header}.${base64url(encoder.encode(JSON.stringify(claims)))}`;
    const signature = await crypto.subtle.sign('HMAC', await key, encoder.encode(input));
    return `${input}.${base64url(new Uint8Array(signature))}`;
  };
}
