-- timer_claim.lua: claim up to ARGV[4] reminders that are due, or whose earlier claim's lease ran
-- out without Done, for ARGV[2], atomically: two processes never claim one reminder at once.
-- KEYS[1] {timers}:q     zset  reminder → when it may be claimed next (ms)
-- KEYS[2] {timers}:due   hash  reminder → its due time (ms)
-- KEYS[3] {timers}:try   hash  reminder → claims since it was scheduled
-- KEYS[4] {timers}:tok   hash  reminder → the token of its latest claim
-- KEYS[5] {timers}:own   hash  reminder → the owner of its latest claim
-- KEYS[6] {timers}:seq   string the claim token counter
-- ARGV[1] now (ms)   ARGV[2] owner   ARGV[3] lease (ms)   ARGV[4] at most this many
-- Returns a flat array: reminder, due (ms), attempt, token, for each claimed reminder.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[4]))
local out = {}
local until_ms = tonumber(ARGV[1]) + tonumber(ARGV[3])
for _, id in ipairs(ids) do
  local n = redis.call('HINCRBY', KEYS[3], id, 1)
  local tok = redis.call('INCR', KEYS[6])
  redis.call('HSET', KEYS[4], id, tok)
  redis.call('HSET', KEYS[5], id, ARGV[2])
  redis.call('ZADD', KEYS[1], until_ms, id)
  local due = redis.call('HGET', KEYS[2], id) or '0'
  out[#out + 1] = id
  out[#out + 1] = due
  out[#out + 1] = n
  out[#out + 1] = tok
end
return out
