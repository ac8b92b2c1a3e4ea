-- Check a one-time code in one step. Right: the code is deleted here, so of two concurrent
-- verifies exactly one succeeds. Wrong: attempts + 1, and the code is destroyed at the last one.
-- KEYS[1] otp hash; ARGV[1] digest of the submitted code; ARGV[2] max attempts
-- Returns {'ok'}, {'missing'}, {'wrong', attempts left} or {'locked'}.
local stored = redis.call('HGET', KEYS[1], 'digest')
if not stored then return {'missing'} end
if stored == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {'ok'}
end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return {'locked'}
end
return {'wrong', tonumber(ARGV[2]) - attempts}
