-- session.lua: replace a chat's session only if its version is still ARGV[1] (0: there is none),
-- for a change that comes from outside the conversation (staff waiting for the user). The
-- header's bookkeeping after the version (see commit.lua) is kept as it is.
-- KEYS[1] session "<header>:<payload>"   ARGV[1] expected version
-- ARGV[2] the new value, "<version>:<payload>"   ARGV[3] TTL (ms)
-- Returns 1 when written, 0 when the version moved.
local head = redis.call('GETRANGE', KEYS[1], 0, 255)
local ver, rest = 0, ''
if head ~= '' then
  local v, r = string.match(head, '^(%d+)([^:]*):')
  ver, rest = tonumber(v), r
end
if ver ~= tonumber(ARGV[1]) then
  return 0
end
local value = ARGV[2]
local colon = string.find(value, ':', 1, true)
redis.call('SET', KEYS[1], string.sub(value, 1, colon - 1) .. rest .. string.sub(value, colon), 'PX', ARGV[3])
return 1
