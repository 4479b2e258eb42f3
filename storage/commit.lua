-- commit.lua: one chat's commit, atomic. Every key shares the chat's hash tag {chat:<id>}, so in a
-- cluster the script runs on the one node that owns the chat's slot.
--
-- KEYS[1] session "<version>:<payload>"          KEYS[2] seen update ids (zset, score = stamp)
-- KEYS[3] case index (zset, score = case number)  KEYS[4] outbox (list of JSON ops)
-- KEYS[5] replies kept for redeliveries (hash: update id -> JSON)
-- ARGV[1] expected version   ARGV[2] value to write   ARGV[3] new version   ARGV[4] update id
-- ARGV[5] stamp: the commit time in ms * 1000 plus a random 0-999, unique to this attempt
-- ARGV[6] forget ids stamped before this   ARGV[7] -(max ids remembered + 1)
-- ARGV[8] session TTL (ms)   ARGV[9] seen ids TTL (ms)
-- ARGV[10] erase op prefix, "" if the commit does not erase
-- ARGV[11] n, then n pairs (case id, case number) to index
-- then m, then m case ids that must be in the index (escalations, evidence)
-- then k, then k outbox ops
-- then the step's replies to keep ("" for none), then how many updates keep theirs, then the
-- update whose replies were sent ("" for none), to forget
--
-- Returns {code, x}: 1 committed (x = version; a third element, the outbox's length, when this
-- call wrote it), 0 conflict (x = stored version), 2 duplicate
-- update (x = stored version), 3 unknown case (x = its position among the m ids). The checks
-- come before the first write: a script is not rolled back when it fails half-way.
local head = redis.call('GETRANGE', KEYS[1], 0, 24)
local ver = 0
if head ~= '' then
  ver = tonumber(string.match(head, '^(%d+):'))
end
local seen = redis.call('ZSCORE', KEYS[2], ARGV[4])
if seen then
  -- The client resends a script after a network error or a timeout although it may have run.
  -- The same stamp means this very attempt committed (other commits may have followed).
  if tonumber(seen) == tonumber(ARGV[5]) then
    return {1, tonumber(ARGV[3])}
  end
  return {2, ver}
end
if ver ~= tonumber(ARGV[1]) then
  return {0, ver}
end

local i = 11
local adds = {}
for _ = 1, tonumber(ARGV[i]) do
  adds[#adds + 1] = {ARGV[i + 1], ARGV[i + 2]}
  i = i + 2
end
i = i + 1
local added = {}
for _, a in ipairs(adds) do added[a[1]] = true end
for k = 1, tonumber(ARGV[i]) do
  local id = ARGV[i + k]
  if not added[id] and not redis.call('ZSCORE', KEYS[3], id) then
    return {3, k}
  end
end
i = i + tonumber(ARGV[i]) + 1

for _, a in ipairs(adds) do
  redis.call('ZADD', KEYS[3], a[2], a[1])
end
for k = 1, tonumber(ARGV[i]) do
  redis.call('RPUSH', KEYS[4], ARGV[i + k])
end
i = i + tonumber(ARGV[i]) + 1
if ARGV[10] ~= '' then
  -- Erasure: forget the index and the seen ids; the cases themselves are scrubbed by the outbox
  -- flush, outside this slot. Only this update's id is remembered, so a resend is recognised.
  local ids = redis.call('ZRANGE', KEYS[3], 0, -1)
  if #ids > 0 then
    redis.call('RPUSH', KEYS[4], ARGV[10] .. table.concat(ids, '","') .. '"]}')
  end
  redis.call('DEL', KEYS[3], KEYS[2], KEYS[5])
end
if ARGV[i] ~= '' then
  -- The replies, so that a redelivery after a crash before they were sent sends them.
  redis.call('HSET', KEYS[5], ARGV[4], ARGV[i])
  local ids = redis.call('HKEYS', KEYS[5])
  local keep = tonumber(ARGV[i + 1])
  if #ids > keep then
    table.sort(ids, function(a, b) return tonumber(a) < tonumber(b) end)
    for k = 1, #ids - keep do
      redis.call('HDEL', KEYS[5], ids[k])
    end
  end
  redis.call('PEXPIRE', KEYS[5], ARGV[9])
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[8])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[6])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[9])
-- Last: HDEL is not refused when Redis is out of memory, and a script's first write decides
-- whether it may write at all (all or nothing at maxmemory).
if ARGV[i + 2] ~= '' then
  redis.call('HDEL', KEYS[5], ARGV[i + 2])
end
return {1, tonumber(ARGV[3]), redis.call('LLEN', KEYS[4])}
