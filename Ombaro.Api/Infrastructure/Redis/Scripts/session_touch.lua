-- Read a session and slide its TTL, at most once per refresh interval, never past its absolute
-- expiry; an expired session is deleted. Server time, so API instances with skewed clocks agree.
-- Also reads the user's snapshot generation (same hash tag, same slot), so authentication needs one round trip,
-- and, for a live session only, checks the user's rate-limit policies of the endpoint (gcra.lua, put before this
-- script; their keys carry the same hash tag): a forged, expired or revoked token spends no user's budget.
-- KEYS[1] session hash; KEYS[2] the user's generation counter; KEYS[2+i] the user's key of rate-limit policy i
-- ARGV[1] sliding ttl (ms); ARGV[2] refresh interval (ms); ARGV[2+2i-1] policy i's limit, ARGV[2+2i] its window (ms)
-- Returns {generation, user_id, role, gcra's reply (only with policies)}, or nil when there is no live session.
-- Reads only the fields it needs (the hash also keeps the login time, address and user agent for the sessions list).
local s = redis.call('HMGET', KEYS[1], 'user_id', 'role', 'absolute_expiry', 'touched')
if not s[1] then return nil end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local absolute = tonumber(s[3])
if absolute == nil or now >= absolute then
  redis.call('DEL', KEYS[1])
  return nil
end
if now - (tonumber(s[4]) or 0) >= tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[1]), absolute - now))
  redis.call('HSET', KEYS[1], 'touched', now)
end
local generation = redis.call('GET', KEYS[2]) or '0'
if #KEYS == 2 then return {generation, s[1], s[2] or ''} end
return {generation, s[1], s[2] or '', gcra(t, KEYS, 2, ARGV, 2, #KEYS - 2)}
