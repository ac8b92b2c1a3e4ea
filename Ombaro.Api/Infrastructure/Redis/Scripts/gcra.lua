-- GCRA (generic cell rate algorithm, as redis-cell and go-redis' redis_rate) over several policies at once, in one
-- step: the request is admitted only if every policy has room, and only then charged to each of them (a refused
-- request is counted by none). A policy of L requests per window W lets a burst of L through, then one every W/L.
-- Each key is a string: the policy's theoretical arrival time (TAT, server time in ms, fractional), the time at which
-- the policy would be back to a whole quota; it expires then, when it no longer matters. O(1) time and memory.
-- Server time, so API instances with skewed clocks agree.
-- A library, not a script: RedisScript.Named(name, "gcra") puts it before the scripts that call it (rate_limit.lua,
-- session_touch.lua), which pass their own KEYS and ARGV.
-- gcra(t, keys, k, args, a, n): t the reply of TIME; the n policies' keys are keys[k+1 .. k+n], policy i's limit L
-- args[a+2i-1] and window W args[a+2i] (ms).
-- Returns {admitted (1/0), remaining_1, reset_ms_1, retry_ms_1, remaining_2, ...}: remaining is how many more could
-- pass now; reset is the time until the quota is whole again, or, for a policy that refuses the request, until it
-- may retry; retry is the time until one more may pass (0 while remaining > 0).
-- Written for the hot path (every API request runs it): Lua's own string-to-number coercion instead of tonumber, the
-- math functions looked up once, numbers handed to SET as numbers (Redis writes them with %.17g, as string.format did).
local function gcra(t, keys, k, args, a, n)
  local max, ceil, floor = math.max, math.ceil, math.floor
  local now = t[1] * 1000 + t[2] / 1000
  local slack = 0.001   -- 1 µs: absorbs the float rounding of ms timestamps (about 0.25 µs), far below any interval
  local tats, admitted = {}, 1
  for i = 1, n do
    local window = args[a + 2 * i] + 0
    local tat = redis.call('GET', keys[k + i])
    tat = tat and max(tat + 0, now) or now
    tats[i] = tat
    if tat + window / args[a + 2 * i - 1] - now > window + slack then admitted = 0 end
  end
  local out = {admitted}
  for i = 1, n do
    local window = args[a + 2 * i] + 0
    local interval = window / args[a + 2 * i - 1]
    local tat = tats[i]
    if admitted == 1 then
      tat = tat + interval
      -- at least 1 ms: an interval below the timestamps' resolution (a limit of billions, one never reached) adds nothing
      redis.call('SET', keys[k + i], tat, 'PX', max(1, ceil(tat - now)))
    end
    local backlog = tat - now
    local remaining = max(0, floor((window + slack - backlog) / interval))
    local retry = remaining > 0 and 0 or max(1, ceil(backlog + interval - window))
    out[3 * i - 1] = remaining
    out[3 * i] = (admitted == 0 and remaining == 0) and retry or max(1, ceil(backlog))
    out[3 * i + 1] = retry
  end
  return out
end
