// The Lua scripts of RedisTokenStore. Each touches the keys of one hash tag only (Redis Cluster safe).

// Redis's own clock in microseconds, as a decimal string: every instance compares times on one clock.
const NOW = `local clock = redis.call('TIME')
local now = clock[1] .. string.format('%06d', tonumber(clock[2]))`;

/**
 * KEYS[1] token, KEYS[2] revoked; ARGV '-' for a plain read, or after a 401 when the refused token was written
 * ('' unknown), then how long to remember a revocation (ms) → { the last revocation, and when a token is stored
 * its version, key id, data, PTTL, written at }. After a 401, a token written before the last revocation was
 * refused in it; one written after it is refused in a new revocation, which starts now.
 */
export const READ_TOKEN: string = `
${NOW}
local revoked = redis.call('GET', KEYS[2]) or '0'
if ARGV[1] ~= '-' and (ARGV[1] == '' or tonumber(ARGV[1]) >= tonumber(revoked)) then
  revoked = now
  redis.call('SET', KEYS[2], revoked, 'PX', ARGV[2])
end
local entry = redis.call('HMGET', KEYS[1], 'version', 'key', 'data', 'at')
if not entry[1] then return { revoked } end
return { revoked, entry[1], entry[2], entry[3], redis.call('PTTL', KEYS[1]), entry[4] or '0' }
`;

/**
 * KEYS[1] token; ARGV expected version ('' none, '*' any), new version, key id, data, PX ('' none), channel
 * → when it was written, or 0. Writes only over the version the writer replaced, so a late instance never
 * overwrites a newer token.
 */
export const WRITE_TOKEN: string = `
local current = redis.call('HGET', KEYS[1], 'version') or ''
if ARGV[1] ~= '*' and current ~= ARGV[1] then return 0 end
${NOW}
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'key', ARGV[3], 'data', ARGV[4], 'at', now)
if ARGV[5] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
redis.call('PUBLISH', ARGV[6], ARGV[2])
return now
`;

/** KEYS[1] token; ARGV version. Deletes the token only while it is still that version. */
export const DELETE_VERSION = `
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** KEYS[1] lock; ARGV owner, lease ms → { 1 } when taken, else { 0, PTTL of the holder's lease }. */
export const ACQUIRE_LOCK = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return { 1 } end
return { 0, redis.call('PTTL', KEYS[1]) }
`;

/** KEYS[1] lock; ARGV owner, lease ms. Extends the lease only for its owner. */
export const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS[1] lock; ARGV owner, channel. Deletes the lock only for its owner and wakes the waiters. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], '')
return 1
`;
