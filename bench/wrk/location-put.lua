-- wrk script for PUT /api/v1/therapists/me/location: each request takes the next therapist token (BENCH_TOKENS)
-- and the next position (BENCH_IDS, "lat lng" lines), stamped with the current time in milliseconds, so every fix
-- is newer than the therapist's last one. The API stores at most one fix a second per therapist and answers 429 for
-- the rest: done() reports accepted (2xx), too soon (429), out of order (409) and other answers separately.
-- Each of the BENCH_THREADS wrk threads sends for its own share of the therapists, round robin, and continues where
-- the previous run of the script (the warm-up) stopped (BENCH_CURSOR, a file): with enough therapists none is sent
-- two fixes within a second, so the count of accepted fixes measures the API, not the one-fix-a-second rule.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } bench_timeval;
  int gettimeofday(bench_timeval *tv, void *tz);
]]
local tv = ffi.new("bench_timeval")

local function lines(file)
  local t = {}
  for line in io.lines(file) do t[#t + 1] = line end
  return t
end

local tokens, points = {}, {}
local first, count = 0, 0   -- this thread's share: tokens[first + 1 .. first + count]
i = 0                       -- global, like the counters: done() reads them per thread (thread:get)
ok, soon, order, other = 0, 0, 0, 0
local threads = {}

local function cursor_file() return os.getenv("BENCH_CURSOR") end

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("slot", #threads)
end

function init(args)
  tokens = lines(os.getenv("BENCH_TOKENS"))
  points = lines(os.getenv("BENCH_IDS"))
  local n = tonumber(os.getenv("BENCH_THREADS")) or 1
  count = math.floor(#tokens / n)
  first = (slot - 1) * count
  i = math.random(0, count - 1)
  local f = cursor_file() and io.open(cursor_file(), "r")
  if f then
    for k = 1, slot do
      local line = f:read("*l")
      if k == slot and line then i = tonumber(line) end
    end
    f:close()
  end
end

local function now_iso()
  ffi.C.gettimeofday(tv, nil)
  local s = tonumber(tv.tv_sec)
  return os.date("!%Y-%m-%dT%H:%M:%S", s) .. string.format(".%03dZ", math.floor(tonumber(tv.tv_usec) / 1000))
end

function request()
  i = i + 1
  local lat, lng = points[(i % #points) + 1]:match("(%S+)%s+(%S+)")
  local body = string.format('{"latitude":%s,"longitude":%s,"accuracy":15,"timestamp":"%s"}', lat, lng, now_iso())
  return wrk.format("PUT", "/api/v1/therapists/me/location", {
    ["Accept"] = "application/json", ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[first + (i % count) + 1],
  }, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1
  elseif status == 429 then soon = soon + 1
  elseif status == 409 then order = order + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local a, s, o, x = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a, s, o, x = a + t:get("ok"), s + t:get("soon"), o + t:get("order"), x + t:get("other")
  end
  local f = cursor_file() and io.open(cursor_file(), "w")
  if f then
    for _, t in ipairs(threads) do f:write(string.format("%d\n", t:get("i"))) end
    f:close()
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("fixes: accepted %d (%.0f/s), too soon 429 %d, out of order 409 %d, other %d\n", a, a / seconds, s, o, x))
end
