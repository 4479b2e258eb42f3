-- session.lua: replace a chat's session only if its version is still ARGV[1] (0: there is none),
-- for a change that comes from outside the conversation (staff waiting for the user).
-- KEYS[1] session "<version>:<payload>"   ARGV[1] expected version   ARGV[2] the new value
-- ARGV[3] TTL (ms)
-- Returns 1 when written, 0 when the version moved.
local head = redis.call('GETRANGE', KEYS[1], 0, 24)
local ver = 0
if head ~= '' then
  ver = tonumber(string.match(head, '^(%d+):'))
end
if ver ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
