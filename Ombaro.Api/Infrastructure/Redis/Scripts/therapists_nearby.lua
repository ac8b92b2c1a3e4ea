-- Live therapists near a point. First prunes everyone not seen since the cutoff from both the last-seen set and the
-- geo set, then searches, in one step, so a stale therapist is never returned.
-- KEYS[1] geo set; KEYS[2] last-seen sorted set
-- ARGV[1] cutoff (unix ms, exclusive); ARGV[2] lng; ARGV[3] lat; ARGV[4] radius (km); ARGV[5] count
-- Returns {pruned, {{member, distance km, lng, lat, last seen ms}, ...}} nearest first.
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
for i = 1, #stale, 1000 do
  local chunk = {unpack(stale, i, math.min(i + 999, #stale))}
  redis.call('ZREM', KEYS[2], unpack(chunk))
  redis.call('ZREM', KEYS[1], unpack(chunk))
end
local found = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[2], ARGV[3], 'BYRADIUS', ARGV[4], 'km',
  'ASC', 'COUNT', ARGV[5], 'WITHCOORD', 'WITHDIST')
local out = {}
for i, r in ipairs(found) do
  out[i] = {r[1], r[2], r[3][1], r[3][2], redis.call('ZSCORE', KEYS[2], r[1]) or '0'}
end
return {#stale, out}
