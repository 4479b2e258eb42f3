-- remind.lua: take the right to remind staff of a case, at most once per period, across
-- processes. KEYS[1] the case's {staff}:case hash   ARGV[1] now (ms)   ARGV[2] period (ms)
-- Returns 1 when the caller should remind (the time is recorded), 0 when a reminder went out
-- within the period.
local last = tonumber(redis.call('HGET', KEYS[1], 'reminded') or '0')
if tonumber(ARGV[1]) - last < tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'reminded', ARGV[1])
return 1
