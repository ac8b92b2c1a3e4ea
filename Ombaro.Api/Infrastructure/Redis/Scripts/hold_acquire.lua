-- Take every slot lock a hold spans, all or nothing, and write the hold record beside them with the
-- same TTL. The keys share one {vendor:date} hash tag, so this is atomic on a Redis Cluster too.
-- KEYS[1] hold record (hash); KEYS[2..n] slot locks
-- ARGV[1] hold id (the owner value of every slot lock); ARGV[2] ttl (ms); ARGV[3..] record field/value pairs
-- Returns 0 when every slot was taken, else the 1-based position (among the slot locks) of the first
-- slot someone else holds; nothing is written then.
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return i - 1 end
end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0
