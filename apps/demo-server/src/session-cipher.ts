import { ConfigurationError } from '@grantkit/core';

/** Seals what a Redis session holds (a password among it): AES-256-GCM, bound to the session's key. */
export interface SessionCipher {
  /** base64url(IV ‖ ciphertext ‖ tag) of `plaintext`, with `context` as associated data. */
  seal(plaintext: string, context: string): Promise<string>;
  /** The plaintext, if one of the keys sealed it under this `context`. */
  open(sealed: string, context: string): Promise<string>;
}

const IV_BYTES = 12;
// Its own key, derived from GRANTKIT_TOKEN_KEY, so the token store's key never encrypts anything else.
const INFO = new TextEncoder().encode('grantkit demo-server session v1');

function keyBytes(text: string, position: number): Uint8Array<ArrayBuffer> {
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) {
    throw new ConfigurationError(
      `GRANTKIT_TOKEN_KEY: key ${position + 1} is not 32 bytes of base64; make one with \`openssl rand -base64 32\`.`,
    );
  }
  return new Uint8Array(bytes);
}

async function sessionKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * A {@link SessionCipher} on the keys of `GRANTKIT_TOKEN_KEY` (base64, comma
 * separated): the first seals, every one opens, as the token store rotates.
 *
 * @throws {ConfigurationError} for a key that is not 32 bytes of base64, or none.
 */
export async function createSessionCipher(keys: readonly string[]): Promise<SessionCipher> {
  if (keys.length === 0) throw new ConfigurationError('GRANTKIT_TOKEN_KEY holds no key.');
  const derived = await Promise.all(keys.map((text, position) => sessionKey(keyBytes(text, position))));
  const [sealing] = derived as [CryptoKey];
  const data = (context: string) => new TextEncoder().encode(context);
  return {
    async seal(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const encrypted = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: data(context) },
        sealing,
        new TextEncoder().encode(plaintext),
      );
      return Buffer.concat([iv, new Uint8Array(encrypted)]).toString('base64url');
    },
    async open(sealed, context) {
      const bytes = new Uint8Array(Buffer.from(sealed, 'base64url'));
      const iv = bytes.subarray(0, IV_BYTES);
      for (const key of derived) {
        try {
          const plain = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv, additionalData: data(context) },
            key,
            bytes.subarray(IV_BYTES),
          );
          return new TextDecoder().decode(plain);
        } catch {
          // Sealed under another key (or altered): try the next one.
        }
      }
      throw new ConfigurationError(
        'A session in Redis could not be decrypted: give every instance the same GRANTKIT_TOKEN_KEY.',
      );
    },
  };
}

/** The keys of `GRANTKIT_TOKEN_KEY`: base64 keys separated by commas. */
export function tokenKeys(text: string): string[] {
  return text
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}
