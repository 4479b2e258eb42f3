-- cas.lua: replace a record "<revision>:<payload>" only if its revision is still ARGV[1].
-- KEYS[1] the record   ARGV[1] expected revision   ARGV[2] the new value
-- Returns 1 when written, 0 when the revision moved (or the record is gone).
local head = redis.call('GETRANGE', KEYS[1], 0, 24)
if head == '' then
  return 0
end
if tonumber(string.match(head, '^(%d+):')) ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
