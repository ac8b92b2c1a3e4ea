-- The platform's SMS budget: an exact sliding-window log (at most ARGV[1] sends in any window), read by the ops
-- endpoint as a count. The key is a sorted set of admitted sends (score = server time in ms) that expires with its
-- window. Server time, so API instances with skewed clocks agree.
-- KEYS[1] the budget; ARGV[1] limit, ARGV[2] window (ms), ARGV[3] request id
-- Returns {admitted (1/0), remaining, reset_ms}; reset is the time until the oldest counted send leaves the window.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = oldest[2] and (tonumber(oldest[2]) + window - now) or window
local admitted = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  count = count + 1
  admitted = 1
end
redis.call('PEXPIRE', KEYS[1], window)
return {admitted, math.max(0, limit - count), math.max(1, reset)}
