import { AccessToken, ConfigurationError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createSmithCartClient } from './index.js';

const client = createSmithCartClient({
  baseUrl: 'https://api.example.com',
  token: new AccessToken({ value: 'at', scope: ['public'] }),
});

async function messageOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return (error as Error).message;
}

describe('a URL outside the API origin that carries half of the credentials', () => {
  it('is named in the error without its password', async () => {
    const message = await messageOf(client.get('https://:hunter2@elsewhere.example/users/me.json'));
    expect(message).toContain('https://elsewhere.example/users/me.json');
    expect(message).not.toContain('hunter2');
  });

  it('is named in the error without its username', async () => {
    const message = await messageOf(client.get('https://ada.lovelace@elsewhere.example/users/me.json'));
    expect(message).toContain('https://elsewhere.example/users/me.json');
    expect(message).not.toContain('ada.lovelace');
  });
});
