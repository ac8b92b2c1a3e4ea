-- Sliding-window log rate limit over several policies at once, in one step: the request is
-- admitted only if every policy has room, and only then recorded in each of them. Each key is a
-- sorted set of admitted requests (score = server time in ms) that expires with its window.
-- Server time, so API instances with skewed clocks agree.
-- KEYS[i] one key per policy; ARGV[2i-1] limit, ARGV[2i] window (ms); ARGV[#KEYS*2+1] request id
-- Returns {admitted (1/0), remaining_1, reset_ms_1, remaining_2, reset_ms_2, ...}; reset is the
-- time until the oldest counted request leaves the window (for a refused request: until it may retry).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #KEYS
local counts, resets = {}, {}
local admitted = 1
for i = 1, n do
  local limit, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  counts[i] = redis.call('ZCARD', KEYS[i])
  local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
  resets[i] = oldest[2] and (tonumber(oldest[2]) + window - now) or window
  if counts[i] >= limit then admitted = 0 end
end
local member = now .. ':' .. ARGV[n * 2 + 1]
local out = {admitted}
for i = 1, n do
  local limit, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  if admitted == 1 then
    redis.call('ZADD', KEYS[i], now, member)
    counts[i] = counts[i] + 1
  end
  redis.call('PEXPIRE', KEYS[i], window)
  out[#out + 1] = math.max(0, limit - counts[i])
  out[#out + 1] = math.max(1, resets[i])
end
return out
