import { AccessToken, ConfigurationError } from '@grantkit/core';

/** One AES-256 key: 32 bytes, as base64 text or bytes. */
export type EncryptionKeyInput = string | Uint8Array;

/** A token as it sits in Redis: the key id beside the ciphertext. */
interface SealedToken {
  keyId: string;
  data: string;
}

/** Encrypts and decrypts stored tokens. */
export interface TokenCipher {
  seal(token: AccessToken, associatedData: string): Promise<SealedToken>;
  open(sealed: SealedToken, associatedData: string): Promise<AccessToken>;
}

const PLAINTEXT_KEY_ID = 'plaintext';
const IV_BYTES = 12;
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text.trim()), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function keyBytes(input: EncryptionKeyInput, position: number): Uint8Array {
  const bytes = typeof input === 'string' ? fromBase64(input) : input instanceof Uint8Array ? input : undefined;
  if (bytes?.length !== 32) {
    throw new ConfigurationError(
      `\`encryptionKey\` ${position + 1} is not 32 bytes of base64: make one with \`openssl rand -base64 32\`.`,
    );
  }
  return bytes;
}

/** `"k1,k2"`, `[k1, k2]` or one key → the list, first one first. */
function keyList(input: EncryptionKeyInput | readonly EncryptionKeyInput[]): EncryptionKeyInput[] {
  const list = typeof input === 'string' ? input.split(',') : input instanceof Uint8Array ? [input] : [...input];
  return list.filter((key) => typeof key !== 'string' || key.trim() !== '');
}

interface LoadedKey {
  id: string;
  key: CryptoKey;
}

async function loadKey(bytes: Uint8Array): Promise<LoadedKey> {
  // The id names the key without revealing it: a digest under a label of its own.
  const label = encoder.encode('grantkit/redis key id v1\0');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array([...label, ...bytes])));
  const id = toBase64(digest.subarray(0, 6)).replaceAll('+', '-').replaceAll('/', '_');
  const key = await crypto.subtle.importKey('raw', new Uint8Array(bytes), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { id, key };
}

function parse(json: string): AccessToken {
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    stored = undefined;
  }
  return AccessToken.fromStorage(stored);
}

/**
 * AES-256-GCM (WebCrypto) with a fresh 96-bit IV per token; `data` is base64(IV ‖ ciphertext ‖ tag).
 * The first key encrypts; every key decrypts, found by the key id stored beside the ciphertext.
 *
 * @throws {ConfigurationError} when a key is not 32 bytes of base64, or none is given.
 */
export function createTokenCipher(input: EncryptionKeyInput | readonly EncryptionKeyInput[]): TokenCipher {
  const bytes = keyList(input).map(keyBytes);
  if (bytes.length === 0) {
    throw new ConfigurationError('`encryptionKey` is empty: give a 32-byte base64 key (`openssl rand -base64 32`).');
  }
  let loaded: Promise<LoadedKey[]> | undefined;
  const keys = () => {
    loaded ??= Promise.all(bytes.map(loadKey));
    return loaded;
  };

  return {
    async seal(token, associatedData) {
      const [current] = await keys();
      if (!current) throw new ConfigurationError('`encryptionKey` is empty.');
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plaintext = encoder.encode(JSON.stringify(token.toStorage()));
      const ciphertext = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(associatedData) },
        current.key,
        plaintext,
      );
      return { keyId: current.id, data: toBase64(new Uint8Array([...iv, ...new Uint8Array(ciphertext)])) };
    },

    async open(sealed, associatedData) {
      const key = (await keys()).find((candidate) => candidate.id === sealed.keyId);
      if (!key) {
        throw new ConfigurationError(
          `The token in Redis was encrypted with a key this store does not have (key id "${sealed.keyId}"). Give every instance the same \`encryptionKey\` list; while rotating, the new key first and the old ones after it.`,
        );
      }
      const bytes = new Uint8Array(fromBase64(sealed.data) ?? []);
      let plaintext: ArrayBuffer;
      try {
        plaintext = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(associatedData) },
          key.key,
          bytes.subarray(IV_BYTES),
        );
      } catch {
        throw new ConfigurationError(
          'The token in Redis failed authentication (altered, or moved from another key): sign out to delete it, or let it expire.',
        );
      }
      return parse(new TextDecoder().decode(plaintext));
    },
  };
}

/** Stores tokens as JSON: only for `dangerouslyStorePlaintext`. */
export function createPlaintextCipher(): TokenCipher {
  return {
    async seal(token) {
      return { keyId: PLAINTEXT_KEY_ID, data: JSON.stringify(token.toStorage()) };
    },
    async open(sealed) {
      if (sealed.keyId !== PLAINTEXT_KEY_ID) {
        throw new ConfigurationError(
          `The token in Redis is encrypted (key id "${sealed.keyId}") but this store has no \`encryptionKey\`: give it the fleet's keys.`,
        );
      }
      return parse(sealed.data);
    },
  };
}
