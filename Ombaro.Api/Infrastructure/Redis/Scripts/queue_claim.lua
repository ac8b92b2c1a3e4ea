-- Stamp a claimed job with the server's time (the stale-claim sweep compares against the same clock).
-- KEYS[1] claims (sorted set: job -> claimed at, server ms); ARGV[1] job
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
return 1
