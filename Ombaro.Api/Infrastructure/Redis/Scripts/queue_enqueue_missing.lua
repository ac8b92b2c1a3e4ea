-- Put jobs onto a reliable queue unless they are already there: waiting in the queue or claimed in
-- processing. One script, so two callers (the change listener, reconcilers of several instances)
-- can never enqueue the same job twice between a check and a push.
-- KEYS[1] queue; KEYS[2] processing list
-- ARGV[1..n] jobs
-- Returns the number of jobs enqueued.
local added = 0
for _, job in ipairs(ARGV) do
  if not redis.call('LPOS', KEYS[1], job) and not redis.call('LPOS', KEYS[2], job) then
    redis.call('LPUSH', KEYS[1], job)
    added = added + 1
  end
end
return added
