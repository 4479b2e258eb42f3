-- timer_schedule.lua: schedule a reminder at a due time, or move it there: it becomes claimable
-- at that time and its attempts start again at zero; a claim in flight finds its Done refused.
-- KEYS[1..5] as timer_claim.lua's   KEYS[6] the case's {timers}:c:<case> set
-- ARGV[1] the reminder   ARGV[2] due (ms)   ARGV[3] the reminder's kind
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('SADD', KEYS[6], ARGV[3])
return 1
