-- Release a hold for its owner only (compare-and-delete): the record must name the customer, and a
-- slot lock is deleted only while it still carries this hold's id (a lapsed slot may already belong
-- to someone else, whose lock must survive).
-- KEYS[1] hold record (hash); KEYS[2..n] its slot locks
-- ARGV[1] hold id; ARGV[2] customer id
-- Returns 1 when released, 0 when the customer has no such live hold.
if redis.call('HGET', KEYS[1], 'customer') ~= ARGV[2] then return 0 end
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
redis.call('DEL', KEYS[1])
return 1
