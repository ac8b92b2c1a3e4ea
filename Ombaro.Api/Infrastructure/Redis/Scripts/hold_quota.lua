-- A customer's live holds, counted against a limit: members are hold ids scored by their expiry on Redis' own clock (the
-- clock the hold keys' TTLs run on), so a lapsed hold stops counting when its locks lapse. One key: cluster-safe.
-- KEYS[1] the customer's hold set (sorted set)
-- ARGV[1] hold id; ARGV[2] ttl (ms); ARGV[3] limit
-- Returns 1 when the hold is admitted (and counted), 0 when the customer already has the limit of live holds.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
local expires = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expires, ARGV[1])
redis.call('PEXPIREAT', KEYS[1], expires)
return 1
