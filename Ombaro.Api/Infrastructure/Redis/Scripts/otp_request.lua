-- Issue a one-time code in one step: refuse during the resend cooldown or past the hourly cap,
-- otherwise replace the code (its HMAC digest, never the code), start the cooldown and log the
-- send in the hourly window. Server time, so API instances with skewed clocks agree.
-- A refusal by the hourly cap keeps the pending code alive until the cap frees a slot: every code
-- was sent to the mobile's owner, so whoever used up the cap cannot keep the owner from signing in
-- with the last one. The wrong-code counts per client live in other keys and survive a new code.
-- KEYS[1] otp hash; KEYS[2] cooldown; KEYS[3] hourly send log (sorted set, score = ms)
-- (all three carry the mobile's hash tag: one cluster slot)
-- ARGV[1] code digest; ARGV[2] code ttl (ms); ARGV[3] cooldown (ms); ARGV[4] max codes per window;
-- ARGV[5] window (ms); ARGV[6] unique send id; ARGV[7] 1 when the new code may equal the pending one
-- Returns {'ok', ttl ms}, {'same', 0} (draw another code) or {'cooldown' | 'hourly', retry after ms}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[5])

local cooldown = redis.call('PTTL', KEYS[2])
if cooldown > 0 then return {'cooldown', cooldown} end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  local retry = math.max(1, tonumber(oldest[2]) + window - now)
  if redis.call('PTTL', KEYS[1]) > 0 and redis.call('PTTL', KEYS[1]) < retry then redis.call('PEXPIRE', KEYS[1], retry) end
  return {'hourly', retry}
end
if ARGV[7] ~= '1' and redis.call('HGET', KEYS[1], 'digest') == ARGV[1] then return {'same', 0} end
redis.call('ZADD', KEYS[3], now, ARGV[6])
redis.call('PEXPIRE', KEYS[3], window)

redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'digest', ARGV[1], 'attempts', 0, 'created', now)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], 1, 'PX', ARGV[3]) end
return {'ok', tonumber(ARGV[2])}
