-- Check a one-time code in one step. Wrong codes are counted per client (an address, an IPv6
-- network) and mobile, never per mobile alone, so a stranger cannot use up the owner's attempts:
--  * per code: a client's first ARGV[2] wrong guesses are checked, later ones answer 'locked'
--    (the code stays good for everyone else);
--  * per client and mobile, across codes (a new code does not reset it): at most ARGV[4] wrong
--    guesses in the window ARGV[5], and from the ARGV[2]-th on each costs a growing delay
--    (ARGV[6] ms doubling up to ARGV[7] ms) before the next guess is checked.
-- Refused ('throttled'), already locked and no-code-pending verifies count nothing.
-- Right: the code is deleted here, so of two concurrent verifies exactly one succeeds.
-- KEYS[1] otp hash; KEYS[2] this client's failure log for the mobile (sorted set, score = ms);
-- both carry the mobile's hash tag (one cluster slot).
-- ARGV[1] digest of the submitted code; ARGV[2] max wrong guesses per code and client; ARGV[3] client;
-- ARGV[4] max failures per client and window; ARGV[5] window (ms); ARGV[6] first delay (ms);
-- ARGV[7] longest delay (ms); ARGV[8] unique id
-- Returns {'ok'}, {'missing'}, {'wrong', attempts left}, {'locked'} or {'throttled', retry after ms}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perCode, window = tonumber(ARGV[2]), tonumber(ARGV[5])

redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
local failures = redis.call('ZCARD', KEYS[2])
if failures >= tonumber(ARGV[4]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'throttled', math.max(1, tonumber(oldest[2]) + window - now)}
end
if failures >= perCode then
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  local delay = math.min(tonumber(ARGV[6]) * 2 ^ (failures - perCode), tonumber(ARGV[7]))
  if now < tonumber(last[2]) + delay then return {'throttled', math.max(1, tonumber(last[2]) + delay - now)} end
end

local stored = redis.call('HGET', KEYS[1], 'digest')
if not stored then return {'missing'} end
local field = 'attempts:' .. ARGV[3]
if tonumber(redis.call('HGET', KEYS[1], field) or '0') >= perCode then return {'locked'} end
if stored == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
  return {'ok'}
end
local attempts = redis.call('HINCRBY', KEYS[1], field, 1)
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('ZADD', KEYS[2], now, now .. ':' .. ARGV[8])
redis.call('PEXPIRE', KEYS[2], window)
if attempts >= perCode then return {'locked'} end
return {'wrong', perCode - attempts}
