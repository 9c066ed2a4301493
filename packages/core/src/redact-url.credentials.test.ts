import { describe, expect, it } from '@jest/globals';
import { redactUrl } from './redact.js';

describe('redactUrl with half of the credentials', () => {
  it('removes a password that comes without a username', () => {
    expect(redactUrl('https://:hunter2@api.example.com/token')).toBe('https://api.example.com/token');
  });

  it('removes a username that comes without a password', () => {
    expect(redactUrl('https://ada.lovelace@api.example.com/token')).toBe('https://api.example.com/token');
  });

  it('removes a username whose password is empty', () => {
    expect(redactUrl('https://ada.lovelace:@api.example.com/token')).toBe('https://api.example.com/token');
  });
});
