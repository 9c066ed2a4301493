import * as v from 'valibot';
import * as messages from '#messages';
import { AccessToken, TOKEN_VALUE } from './access-token.js';
import { InvalidResponseError, type ResponseIssue } from './errors/invalid-response-error.js';
import { jwtExpiry } from './jwt-expiry.js';
import { ScopeSet } from './scope-set.js';
import { splitScope } from './scope-syntax.js';

/** Options of {@link parseTokenResponse}. */
export interface ParseTokenResponseOptions {
  /**
   * The scope that was requested; used when the response has no `scope` (RFC 6749 §3.3).
   * A list, or a space-delimited `scope` string (`'public orders'`), never split into letters.
   */
  requestedScope?: string | Iterable<string> | undefined;
  /** The clock, in epoch ms, read once when the response is parsed. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** The HTTP status, reported in errors. */
  status?: number | undefined;
}

// A positive whole number of seconds, as a number or a string of digits.
function isLifetime(input: unknown): input is number | string {
  if (typeof input === 'string') return /^\d{1,15}$/.test(input) && Number(input) >= 1;
  return typeof input === 'number' && Number.isSafeInteger(input) && input >= 1;
}

// Each field is a single valibot check whose message says what is wrong: pipes of a type schema and
// actions would say the same with much more of valibot in a browser bundle. Messages name what is
// expected and never echo the received value: it may be a token.
const TokenResponseSchema = v.object(
  {
    access_token: v.custom<string>(
      (input) => typeof input === 'string' && TOKEN_VALUE.test(input),
      ({ input }) => {
        if (typeof input !== 'string') return 'must be a string';
        return input === '' ? 'must not be empty' : 'must be visible ASCII without spaces (RFC 6750 §2.1)';
      },
    ),
    token_type: v.custom<string>(
      (input) => typeof input === 'string' && input.toLowerCase() === 'bearer',
      ({ input }) => (typeof input === 'string' ? 'must be "bearer" (RFC 6750)' : 'must be a string'),
    ),
    expires_in: v.optional(v.custom<number | string>(isLifetime, 'must be a positive whole number of seconds')),
    scope: v.optional(v.custom<string>((input) => typeof input === 'string', 'must be a string')),
  },
  'must be a JSON object',
);

function issuesOf(issues: readonly v.BaseIssue<unknown>[]): ResponseIssue[] {
  return issues.map((issue) => ({
    path: issue.path?.map((item) => item.key).join('.') ?? '',
    // valibot reports a missing field with the object's message; say what is wrong with the field instead.
    message: issue.type === 'object' && issue.path?.length ? 'is required' : issue.message,
  }));
}

/**
 * Validates a successful token response (RFC 6749 §5.1) and turns it into an
 * {@link AccessToken}. `token_type` may be any case; `expires_in` may be a
 * number or a numeric string; unknown fields are ignored. Without `expires_in`,
 * the expiry comes from a JWT's `exp` claim, or stays unknown.
 *
 * @example
 * ```ts
 * const token = parseTokenResponse(await response.json(), { requestedScope: ['private'] });
 * ```
 * @throws {InvalidResponseError} listing each problem by field, never by value.
 * @throws {ConfigurationError} when `requestedScope` holds something that is not a scope token.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function parseTokenResponse(json: unknown, options: ParseTokenResponseOptions = {}): AccessToken {
  // Checked even when the response names its own scope: a bad option is the caller's bug either way.
  const requested = ScopeSet.of(options.requestedScope ?? []);
  const result = v.safeParse(TokenResponseSchema, json);
  if (!result.success) {
    throw new InvalidResponseError(messages.tokenResponseInvalid, {
      status: options.status,
      issues: issuesOf(result.issues),
    });
  }
  const body = result.output;
  let scope: ScopeSet = requested;
  if (body.scope !== undefined) {
    const split = splitScope(body.scope);
    if (!split.ok) {
      throw new InvalidResponseError(messages.tokenResponseInvalid, {
        status: options.status,
        issues: [
          { path: 'scope', message: `has an invalid scope token at position ${split.position + 1} (RFC 6749 §3.3)` },
        ],
      });
    }
    scope = split.scopes;
  }
  const now = (options.now ?? Date.now)();
  const expiresAt = body.expires_in === undefined ? jwtExpiry(body.access_token) : now + Number(body.expires_in) * 1000;
  return new AccessToken({ value: body.access_token, expiresAt, scope });
}
