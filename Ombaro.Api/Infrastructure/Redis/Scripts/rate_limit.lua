-- One subject's policies, all or nothing (gcra.lua, put before this script).
-- KEYS[i] one key per policy; ARGV[2i-1] limit L, ARGV[2i] window W (ms).
-- Returns gcra's {admitted (1/0), remaining_1, reset_ms_1, retry_ms_1, remaining_2, ...}.
return gcra(redis.call('TIME'), KEYS, 0, ARGV, 0, #KEYS)
