-- Give the jobs of crashed workers back to the queue. A job in processing whose claim is older than
-- the timeout goes back to the consuming end of the queue; a job with no claim time (its worker died
-- between BLMOVE and stamping the claim) is stamped now and recovered one timeout later. "Now" is the
-- server's time (claims are stamped with it too), so API instances with skewed clocks agree.
-- KEYS[1] queue; KEYS[2] processing list; KEYS[3] claims (sorted set: job -> claimed at, server ms)
-- ARGV[1] look-ahead (ms, added to the server time; 0 outside tests); ARGV[2] claim timeout (ms)
-- Returns the number of jobs re-queued.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
local timeout = tonumber(ARGV[2])
local moved = 0
for _, job in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local claimed = redis.call('ZSCORE', KEYS[3], job)
  if not claimed then
    redis.call('ZADD', KEYS[3], now, job)
  elseif tonumber(claimed) + timeout <= now then
    redis.call('LREM', KEYS[2], 1, job)
    redis.call('ZREM', KEYS[3], job)
    redis.call('RPUSH', KEYS[1], job)
    moved = moved + 1
  end
end
return moved
