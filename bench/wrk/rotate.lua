-- wrk script: each request takes the next line of a data file, round robin per thread.
--   BENCH_PATH    path template; "{id}" is replaced by the line (e.g. /api/v1/vendors/{id})
--   BENCH_IDS     file of values for {id} (optional)
--   BENCH_TOKENS  file of bearer tokens, one per line (optional): sent as Authorization
--   BENCH_METHOD  GET (default), PUT, POST...;  BENCH_BODY  body template, "{id}" replaced too
local function lines(file)
  local t = {}
  if file == nil or file == "" then return t end
  for line in io.lines(file) do t[#t + 1] = line end
  return t
end

local path = os.getenv("BENCH_PATH") or "/"
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local ids, tokens = {}, {}
local i = 0

function init(args)
  ids = lines(os.getenv("BENCH_IDS"))
  tokens = lines(os.getenv("BENCH_TOKENS"))
  i = math.random(1, 100000)   -- threads start at different places
end

function request()
  i = i + 1
  local id = #ids > 0 and ids[(i % #ids) + 1] or ""
  local headers = { ["Accept"] = "application/json" }
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(i % #tokens) + 1] end
  local payload = nil
  if body ~= nil and body ~= "" then
    payload = body:gsub("{id}", id)
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(method, (path:gsub("{id}", id)), headers, payload)
end
