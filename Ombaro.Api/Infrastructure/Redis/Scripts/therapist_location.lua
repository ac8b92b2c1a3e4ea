-- Store a therapist's location fix: the latest-fix hash (with TTL), the live geo set and the last-seen set, in one
-- step. A fix not newer than the stored one is refused (out of order), and so is a second fix within the minimum
-- interval (rate limit), counted from when the previous one was received. "Received" and "last seen" are the
-- server's time, so API instances with skewed clocks agree. The stored fix sent again (a client retry, or a command
-- resent after a Redis failover) is answered like the first time and not stored again.
-- KEYS[1] fix hash; KEYS[2] geo set; KEYS[3] last-seen sorted set
-- ARGV[1] lat; ARGV[2] lng; ARGV[3] accuracy (m); ARGV[4] fix timestamp (unix ms);
-- ARGV[5] hash ttl (ms); ARGV[6] minimum interval (ms); ARGV[7] member (therapist id)
-- Returns {1, timestamp} stored; {-1, previous received} too soon; {-2, stored timestamp} out of order.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'timestamp', 'received', 'lat', 'lng', 'accuracy')
local timestamp = tonumber(ARGV[4])
if stored[1] == ARGV[4] and stored[3] == ARGV[1] and stored[4] == ARGV[2] and stored[5] == ARGV[3] then return {1, ARGV[4]} end
if stored[1] and timestamp <= tonumber(stored[1]) then return {-2, stored[1]} end
if stored[2] and now - tonumber(stored[2]) < tonumber(ARGV[6]) then return {-1, stored[2]} end
redis.call('HSET', KEYS[1], 'lat', ARGV[1], 'lng', ARGV[2], 'accuracy', ARGV[3], 'timestamp', ARGV[4], 'received', now)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('GEOADD', KEYS[2], ARGV[2], ARGV[1], ARGV[7])
redis.call('ZADD', KEYS[3], now, ARGV[7])
return {1, ARGV[4]}
