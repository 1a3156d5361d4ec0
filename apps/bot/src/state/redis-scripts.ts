/**
 * The Lua scripts of the Redis backend: each runs atomically on the server (no other command runs
 * in between), which is what makes two concurrent guesses land once each, numbered in order. A
 * game's keys share one hash tag (the channel), so every script touches a single slot.
 */

/**
 * A sliding-window rate-limit hit (the body of {@link TAKE_RATE} and {@link ADMIT}): KEYS[k] is the
 * hits zset; ARGV[a..a+3] are now, windowMs, limit, unique member. → {1} or {0, oldest hit}.
 */
const RATE_HIT = `
local function take(k, a)
  local now = tonumber(ARGV[a])
  local window = tonumber(ARGV[a + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - window)
  if redis.call('ZCARD', KEYS[k]) >= tonumber(ARGV[a + 2]) then
    local first = redis.call('ZRANGE', KEYS[k], 0, 0, 'WITHSCORES')
    return {0, first[2]}
  end
  redis.call('ZADD', KEYS[k], now, ARGV[a + 3])
  redis.call('PEXPIRE', KEYS[k], window)
  return {1}
end
`;

/** KEYS: hits zset. ARGV: now, windowMs, limit, unique member. → {1} or {0, oldest hit}. */
export const TAKE_RATE = `${RATE_HIT}
return take(1, 1)
`;

/**
 * A request's replay check and, when it is new, its rate-limit hit, in one step. KEYS: replay key,
 * hits zset (one hash tag: the rate key). ARGV: replay ttl ms, then {@link TAKE_RATE}'s.
 * → {'replay'} | {'new', 1} | {'new', 0, oldest hit}.
 */
export const ADMIT = `${RATE_HIT}
if not redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return {'replay'} end
local hit = take(2, 2)
return {'new', hit[1], hit[2]}
`;

/**
 * KEYS: active, last, game hash, neighbours. ARGV: id, record JSON, neighbours JSON, started at,
 * idle ms ('' for never), the key of a game hash without its id (the running game's is built from
 * it: the same hash tag, so the same slot). A running game idle for `idle ms` before `started at`
 * is ended as expired first. → {'running', id} | {'started'} | {'started', expired id}
 */
export const START_GAME = `
local running = redis.call('GET', KEYS[1])
if running then
  if ARGV[5] == '' then return {'running', running} end
  local key = ARGV[6] .. running
  local last = redis.call('HGET', key, 'lastGuessAt')
  if not last then
    local record = redis.call('HGET', key, 'record')
    if not record then return {'running', running} end
    last = cjson.decode(record).startedAt
  end
  if tonumber(last) + tonumber(ARGV[5]) > tonumber(ARGV[4]) then return {'running', running} end
  redis.call('HSET', key, 'status', 'expired', 'endedAt', ARGV[4])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'record', ARGV[2], 'status', 'playing', 'guessCount', 0, 'hints', 0)
redis.call('SET', KEYS[4], ARGV[3])
if running then return {'started', running} end
return {'started'}
`;

/**
 * KEYS: active, game hash, guesses list, words hash, top zset, wins zset, win names hash.
 * ARGV: game id, word, guess JSON without n, win '1'|'0', score, user, user name, at, top member base.
 * → {'no-game'} | {'duplicate', guess JSON, ...game hash} | {'recorded', guess JSON, ...game hash}
 */
export const RECORD_GUESS = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'no-game'} end
local out
local previous = redis.call('HGET', KEYS[4], ARGV[2])
if previous then
  out = {'duplicate', redis.call('LINDEX', KEYS[3], tonumber(previous) - 1)}
else
  local n = redis.call('HINCRBY', KEYS[2], 'guessCount', 1)
  local guess = '{"n":' .. n .. ',' .. string.sub(ARGV[3], 2)
  redis.call('RPUSH', KEYS[3], guess)
  redis.call('HSET', KEYS[2], 'lastGuessAt', ARGV[8])
  redis.call('HSET', KEYS[4], ARGV[2], n)
  -- Ties in score: the earlier guess first (ZREVRANGE orders equal scores by member, descending).
  redis.call('ZADD', KEYS[5], ARGV[5], string.format('%012d', tonumber(ARGV[9]) - n))
  if ARGV[4] == '1' then
    redis.call('HSET', KEYS[2], 'status', 'won', 'endedBy', ARGV[6], 'endedByName', ARGV[7], 'endedAt', ARGV[8])
    redis.call('DEL', KEYS[1])
    redis.call('ZINCRBY', KEYS[6], 1, ARGV[6])
    redis.call('HSET', KEYS[7], ARGV[6], ARGV[7])
  end
  out = {'recorded', guess}
end
local h = redis.call('HGETALL', KEYS[2])
for i = 1, #h do out[#out + 1] = h[i] end
return out
`;

/** KEYS: active, game hash. ARGV: game id. → the game hash after, or nil when that game is not running. */
export const ADD_HINT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return nil end
redis.call('HINCRBY', KEYS[2], 'hints', 1)
return redis.call('HGETALL', KEYS[2])
`;

/** KEYS: active, game hash. ARGV: game id, user, user name, at. → the game hash after, or nil. */
export const GIVE_UP = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return nil end
redis.call('HSET', KEYS[2], 'status', 'given-up', 'endedBy', ARGV[2], 'endedByName', ARGV[3], 'endedAt', ARGV[4])
redis.call('DEL', KEYS[1])
return redis.call('HGETALL', KEYS[2])
`;

/**
 * KEYS: pending hash (id → JSON {owner, expiresAt, payload}), lease zset (id → lease end).
 * ARGV: id, owner, lease until, expires at, payload. → 1 held by owner, 0 held by another.
 */
export const HOLD_PENDING = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and cjson.decode(current).owner ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({owner = ARGV[2], expiresAt = tonumber(ARGV[4]), payload = ARGV[5]}))
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), ARGV[1])
return 1
`;

/**
 * KEYS: pending hash, lease zset. ARGV: owner, now, lease ms, limit.
 * → flat {id, expiresAt, payload, ...} of the replies now held by owner (expired ones are dropped).
 */
export const CLAIM_PENDING = `
local now = tonumber(ARGV[2])
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
local out = {}
local claimed = 0
for _, id in ipairs(stale) do
  local json = redis.call('HGET', KEYS[1], id)
  if not json then
    redis.call('ZREM', KEYS[2], id)
  else
    local entry = cjson.decode(json)
    if entry.expiresAt <= now then
      redis.call('HDEL', KEYS[1], id)
      redis.call('ZREM', KEYS[2], id)
    elseif claimed < tonumber(ARGV[4]) then
      claimed = claimed + 1
      entry.owner = ARGV[1]
      redis.call('HSET', KEYS[1], id, cjson.encode(entry))
      redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), id)
      table.insert(out, id)
      table.insert(out, tostring(entry.expiresAt))
      table.insert(out, entry.payload)
    end
  end
end
return out
`;
