-- timer_done.lua: forget a reminder whose send was recorded, if the caller's claim is still the
-- latest (a claim whose lease ran out and was claimed again, or a reminder scheduled again or
-- cancelled since, is left alone).
-- KEYS[1..5] as timer_claim.lua's   KEYS[6] the case's {timers}:c:<case> set
-- ARGV[1] the reminder   ARGV[2] the claim's token   ARGV[3] the reminder's kind
-- Returns 1 when forgotten, 0 when the claim was no longer the latest.
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('SREM', KEYS[6], ARGV[3])
return 1
