-- timer_cancel.lua: forget reminders of one case: the kinds in ARGV[2..], or with no kinds every
-- reminder of the case. A claim in flight then finds its Done refused.
-- KEYS[1..5] as timer_claim.lua's   KEYS[6] the case's {timers}:c:<case> set
-- ARGV[1] the case   ARGV[2..] kinds
-- Returns how many reminders were scheduled.
local kinds = {}
if #ARGV > 1 then
  for i = 2, #ARGV do kinds[#kinds + 1] = ARGV[i] end
else
  kinds = redis.call('SMEMBERS', KEYS[6])
end
local n = 0
for _, kind in ipairs(kinds) do
  local id = ARGV[1] .. '/' .. kind
  n = n + redis.call('ZREM', KEYS[1], id)
  for k = 2, 5 do redis.call('HDEL', KEYS[k], id) end
  redis.call('SREM', KEYS[6], kind)
end
return n
