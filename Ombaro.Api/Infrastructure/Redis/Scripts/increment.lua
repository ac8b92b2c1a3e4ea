-- Increment a counter and make sure it carries a TTL, in one step (the seed's INCR-then-EXPIRE
-- leaks a key without TTL if the second call never happens).
-- KEYS[1] counter; ARGV[1] amount; ARGV[2] ttl in milliseconds
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return value
