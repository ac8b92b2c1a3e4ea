-- Claim a hold for one booking request: the first Idempotency-Key that claims it owns it, so one hold
-- never becomes two booking attempts (the exclusion constraint would refuse the second, but only after a
-- round trip to PostgreSQL and with a less helpful answer). A retry with the same key may claim again.
-- KEYS[1] hold record (hash); ARGV[1] customer id; ARGV[2] idempotency key
-- Returns 1 when claimed for this key, 0 when the customer has no such live hold, -1 when another key holds it.
if redis.call('HGET', KEYS[1], 'customer') ~= ARGV[1] then return 0 end
local by = redis.call('HGET', KEYS[1], 'claimed_by')
if by and by ~= ARGV[2] then return -1 end
redis.call('HSET', KEYS[1], 'claimed_by', ARGV[2])
return 1
