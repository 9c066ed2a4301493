import { createHash } from 'node:crypto';
import { TimeoutError } from '@grantkit/core';
import { newSessionId, type SessionStore, type SessionStoreOptions } from './session-store.js';

/** The part of a connected node-redis client the store uses. */
export interface RedisEvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Turns a session's value into the text kept in Redis and back; `context` is the session's key, for sealing. */
export interface SessionCodec<T> {
  encode(value: T, context: string): Promise<string>;
  decode(text: string, context: string): Promise<T>;
}

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions<T> extends Omit<SessionStoreOptions, 'now'> {
  client: RedisEvalClient;
  /** Names this store's keys: `<prefix>{<name>}:…` (one hash tag, so the scripts run on Redis Cluster too). */
  name: string;
  codec: SessionCodec<T>;
  /** Default `grantkit-demo:`. */
  prefix?: string;
  /** Longest wait for one Redis command, so that a hung Redis fails a page instead of hanging it. Default 2,000 ms. */
  commandTimeoutMs?: number;
  /** Receives the session a delete or the per-user cap ended (not an idle one: Redis expires those). */
  onEvict?: (value: T) => void;
  /** Receives the failure of a stored session that could not be decoded; the session then counts as missing. */
  onUnreadable?: (error: unknown) => void;
}

// Redis's own clock decides what is idle, so instances whose clocks disagree still agree. In microseconds: two
// uses within one millisecond must still order (the least recently used session is the one a cap ends).
const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
-- Written out in full: Lua would print a 16-digit number with 14 significant digits.
local function score(value) return string.format('%.0f', value) end`;

// KEYS: all sessions (sorted by last use), the user's sessions, the new session. ARGV: idle ms, max, max per user,
// member, user digest, encoded value, session key prefix. Returns {created, member1, value1, member2, value2, …}.
const CREATE = `${NOW}
local idle = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. score(now - idle * 1000))
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. score(now - idle * 1000))
local result = {0}
while redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) do
  local oldest = redis.call('ZPOPMIN', KEYS[2])[1]
  redis.call('ZREM', KEYS[1], oldest)
  local value = redis.call('HGET', ARGV[7] .. oldest, 'value')
  redis.call('DEL', ARGV[7] .. oldest)
  if value then
    table.insert(result, oldest)
    table.insert(result, value)
  end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return result end
redis.call('HSET', KEYS[3], 'user', ARGV[5], 'value', ARGV[6])
redis.call('PEXPIRE', KEYS[3], idle)
redis.call('ZADD', KEYS[1], score(now), ARGV[4])
redis.call('ZADD', KEYS[2], score(now), ARGV[4])
redis.call('PEXPIRE', KEYS[1], idle)
redis.call('PEXPIRE', KEYS[2], idle)
result[1] = 1
return result`;

// KEYS: all sessions, the session. ARGV: idle ms, member, user key prefix. Returns the value, refreshing its idle timer.
const TOUCH = `${NOW}
local fields = redis.call('HMGET', KEYS[2], 'user', 'value')
if not fields[2] then return false end
local idle = tonumber(ARGV[1])
local own = ARGV[3] .. fields[1]
redis.call('PEXPIRE', KEYS[2], idle)
redis.call('ZADD', KEYS[1], score(now), ARGV[2])
redis.call('ZADD', own, score(now), ARGV[2])
redis.call('PEXPIRE', KEYS[1], idle)
redis.call('PEXPIRE', own, idle)
return fields[2]`;

// KEYS: all sessions, the session. ARGV: member, user key prefix. Returns the value of the session it deleted.
const DELETE = `local fields = redis.call('HMGET', KEYS[2], 'user', 'value')
if not fields[2] then return false end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', ARGV[2] .. fields[1], ARGV[1])
return fields[2]`;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * Sessions in Redis, shared by every instance of the demo: one hash per
 * session (the user's digest and the encoded value) that expires when idle,
 * and two sorted sets by last use (all sessions; each user's) for the same
 * caps as {@link MemorySessionStore}. Keys hold a SHA-256 digest of the
 * session id, never the id itself (it is the cookie's secret), nor the user
 * name; the value is whatever the codec makes of it (sealed, for secrets).
 */
export class RedisSessionStore<T> implements SessionStore<T> {
  readonly #client: RedisEvalClient;
  readonly #codec: SessionCodec<T>;
  readonly #keys: { all: string; session: string; user: string };
  readonly #idleTimeoutMs: number;
  readonly #maxSessions: number;
  readonly #maxSessionsPerUser: number;
  readonly #onEvict: (value: T) => void;
  readonly #onUnreadable: (error: unknown) => void;
  readonly #timeoutMs: number;

  constructor(options: RedisSessionStoreOptions<T>) {
    const tagged = `${options.prefix ?? 'grantkit-demo:'}{${options.name}}`;
    this.#client = options.client;
    this.#codec = options.codec;
    this.#keys = { all: `${tagged}:all`, session: `${tagged}:session:`, user: `${tagged}:user:` };
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
    this.#maxSessions = options.maxSessions ?? 1_000;
    this.#maxSessionsPerUser = options.maxSessionsPerUser ?? 10;
    this.#onEvict = options.onEvict ?? (() => {});
    this.#onUnreadable = options.onUnreadable ?? (() => {});
    this.#timeoutMs = options.commandTimeoutMs ?? 2_000;
  }

  async #eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError('Redis (the session store)', this.#timeoutMs)), this.#timeoutMs);
    });
    try {
      return await Promise.race([this.#client.eval(script, { keys, arguments: args }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async create(value: T, user: string): Promise<string | undefined> {
    const id = newSessionId();
    const member = digest(id);
    const userDigest = digest(user);
    const sessionKey = this.#keys.session + member;
    const result = (await this.#eval(
      CREATE,
      [this.#keys.all, this.#keys.user + userDigest, sessionKey],
      [
        String(this.#idleTimeoutMs),
        String(this.#maxSessions),
        String(this.#maxSessionsPerUser),
        member,
        userDigest,
        await this.#codec.encode(value, sessionKey),
        this.#keys.session,
      ],
    )) as [number, ...string[]];
    const [created, ...evicted] = result;
    for (let index = 0; index < evicted.length; index += 2) {
      await this.#evict(evicted[index + 1] as string, this.#keys.session + evicted[index]);
    }
    return created === 1 ? id : undefined;
  }

  async get(id: string | undefined): Promise<T | undefined> {
    if (id === undefined) return undefined;
    const member = digest(id);
    const sessionKey = this.#keys.session + member;
    const text = await this.#eval(
      TOUCH,
      [this.#keys.all, sessionKey],
      [String(this.#idleTimeoutMs), member, this.#keys.user],
    );
    if (typeof text !== 'string') return undefined;
    try {
      return await this.#codec.decode(text, sessionKey);
    } catch (error) {
      this.#onUnreadable(error);
      return undefined;
    }
  }

  async delete(id: string | undefined): Promise<void> {
    if (id === undefined) return;
    const member = digest(id);
    const sessionKey = this.#keys.session + member;
    const text = await this.#eval(DELETE, [this.#keys.all, sessionKey], [member, this.#keys.user]);
    if (typeof text === 'string') await this.#evict(text, sessionKey);
  }

  async #evict(text: string, sessionKey: string): Promise<void> {
    try {
      this.#onEvict(await this.#codec.decode(text, sessionKey));
    } catch (error) {
      this.#onUnreadable(error);
    }
  }
}
