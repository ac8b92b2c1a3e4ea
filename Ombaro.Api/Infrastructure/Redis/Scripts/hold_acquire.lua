-- Reserve one therapist's time for a hold: take the first candidate therapist whose every span lock is free, all or
-- nothing, and write the hold record (naming that therapist) beside the locks with the same TTL. A candidate taken by
-- someone else meanwhile is skipped. Every key shares one {vendor:date} hash tag: atomic on a Redis Cluster too.
-- KEYS[1] hold record (hash); KEYS[2..] span locks, candidate by candidate (ARGV[3] locks per candidate)
-- ARGV[1] hold id (the owner value of every lock); ARGV[2] ttl (ms); ARGV[3] spans per candidate;
-- ARGV[4] candidate count n; ARGV[5..4+n] candidate therapist ids; then record field/value pairs
-- Returns the 1-based position of the candidate reserved, or 0 when every candidate is taken (nothing written).
local spans, n = tonumber(ARGV[3]), tonumber(ARGV[4])
for c = 0, n - 1 do
  local free = true
  for s = 1, spans do
    if redis.call('EXISTS', KEYS[1 + c * spans + s]) == 1 then free = false; break end
  end
  if free then
    for s = 1, spans do
      redis.call('SET', KEYS[1 + c * spans + s], ARGV[1], 'PX', ARGV[2])
    end
    redis.call('HSET', KEYS[1], 'therapist', ARGV[5 + c], unpack(ARGV, 5 + n))
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return c + 1
  end
end
return 0
