-- commit.lua: one chat's commit, atomic. Every key shares the chat's hash tag {chat:<id>}, so in a
-- cluster the script runs on the one node that owns the chat's slot.
--
-- KEYS[1] session "<header>:<payload>"           KEYS[2] seen update ids (zset, score = stamp)
-- KEYS[3] case index (zset, score = case number)  KEYS[4] outbox (list of JSON ops)
-- KEYS[5] replies kept for redeliveries (hash: slot 0-3 -> JSON)
-- ARGV[1] expected version   ARGV[2] value to write, "<version>:<payload>"   ARGV[3] new version
-- ARGV[4] update id
-- ARGV[5] stamp: the commit time in ms * 1000 plus a random 0-999, unique to this attempt
-- ARGV[6] forget ids stamped before this   ARGV[7] max ids remembered
-- ARGV[8] session TTL (ms)   ARGV[9] dedupe window (ms): the replies' TTL
-- ARGV[10] erase op prefix, "" if the commit does not erase
-- ARGV[11] n, then n pairs (case id, case number) to index
-- then m, then m case ids that must be in the index (escalations, evidence)
-- then k, then k outbox ops
-- then the step's replies to keep ("" for none), then the update whose replies were sent ("" for
-- none), to forget
--
-- The header is the chat's bookkeeping, so that the hot path reads and writes no other key for
-- it: "v,l,r,n,o,s0,s1,s2,s3" — the version; the highest update id committed (every id
-- committed is at most it, so a higher one needs no look-up in the seen ids); when the seen ids'
-- TTL was last set (ms); how many ids they hold; 1 when the outbox may hold entries; the update
-- whose replies each of the four slots of KEYS[5] holds (0: none; negative for the steps a
-- caller applies that are no Telegram update, such as a screenshot's reading; every id is within
-- ±2^46, which Lua's numbers hold and print exactly). A header of the version alone
-- (written before these fields existed) knows none of it: every check is made.
--
-- Returns {code, x}: 1 committed (x = version, then the outbox's length when this call wrote it,
-- else -1, and the header written; a resend of a call that committed returns the version
-- alone), 0 conflict (x = stored version), 2 duplicate update (x = stored version), 3 unknown
-- case (x = its position among the m ids). The checks come before the first write: a
-- script is not rolled back when it fails half-way.
local head = redis.call('GETRANGE', KEYS[1], 0, 255)
local ver, last, refreshed, count, outbox = 0, nil, 0, 0, 1
local slots = {0, 0, 0, 0}
if head ~= '' then
  local v, rest = string.match(head, '^(%d+)([^:]*):')
  ver = tonumber(v)
  if rest ~= '' then
    local f = {}
    for x in string.gmatch(rest, '%-?%d+') do f[#f + 1] = tonumber(x) end
    last, refreshed, count, outbox = f[1], f[2], f[3], f[4]
    slots = {f[5], f[6], f[7], f[8]}
  end
end
local id = tonumber(ARGV[4])
local expected = tonumber(ARGV[1])
if ver ~= expected or last == nil or id <= last then
  -- Only then can the update have been committed: every id committed is at most last, and a
  -- moved version may be this very attempt's, resent by the client after a network error.
  local seen = redis.call('ZSCORE', KEYS[2], ARGV[4])
  if seen then
    -- The same stamp means this very attempt committed (other commits may have followed).
    if tonumber(seen) == tonumber(ARGV[5]) then
      return {1, tonumber(ARGV[3])}
    end
    return {2, ver}
  end
end
if ver ~= expected then
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
  local c = ARGV[i + k]
  if not added[c] and not redis.call('ZSCORE', KEYS[3], c) then
    return {3, k}
  end
end
i = i + tonumber(ARGV[i]) + 1

for _, a in ipairs(adds) do
  redis.call('ZADD', KEYS[3], a[2], a[1])
end
local ops = tonumber(ARGV[i])
for k = 1, ops do
  redis.call('RPUSH', KEYS[4], ARGV[i + k])
end
i = i + ops + 1
local queued = nil -- the outbox's length when this call wrote it
if ops > 0 then
  if outbox == 0 then queued = ops else queued = redis.call('LLEN', KEYS[4]) end
  outbox = 1
end
if ARGV[10] ~= '' then
  -- Erasure: forget the index, the seen ids and the kept replies; the cases themselves are
  -- scrubbed by the outbox flush, outside this slot. Only this update's id is remembered, so a
  -- resend is recognised.
  -- The op is queued without cases too: its flush also forgets the chat's screenshots waiting
  -- to be read and marks the append-only file, which holds the erased draft, for a rewrite.
  local ids = redis.call('ZRANGE', KEYS[3], 0, -1)
  if #ids > 0 then
    redis.call('RPUSH', KEYS[4], ARGV[10] .. table.concat(ids, '","') .. '"]}')
  else
    redis.call('RPUSH', KEYS[4], string.sub(ARGV[10], 1, -2) .. ']}')
  end
  redis.call('DEL', KEYS[3], KEYS[2], KEYS[5])
  outbox = 1
  slots, refreshed, count = {0, 0, 0, 0}, 0, 0
elseif outbox == 1 and ops == 0 then
  -- A commit after one that queued work: whoever flushed it has emptied the outbox by now.
  if redis.call('LLEN', KEYS[4]) == 0 then outbox = 0 end
end

-- The replies, so that a redelivery after a crash before they were sent sends them, in the
-- slot of this version; and the update whose replies were sent forgotten, in the same call.
local newver = tonumber(ARGV[3])
local fields = {}
if ARGV[i] ~= '' then
  local s = newver % 4
  fields[#fields + 1], fields[#fields + 2] = s, ARGV[i]
  slots[s + 1] = id
end
if ARGV[i + 1] ~= '' then
  local sent = tonumber(ARGV[i + 1])
  for s = 1, 4 do
    if slots[s] == sent and sent ~= id then
      fields[#fields + 1], fields[#fields + 2] = s - 1, ''
      slots[s] = 0
    end
  end
end
if #fields > 0 then
  redis.call('HSET', KEYS[5], unpack(fields))
  redis.call('PEXPIRE', KEYS[5], ARGV[9])
end

-- The update id, with the stamp of this attempt. The ids older than the window and the TTL are
-- seen to every half window only: the TTL is then a window and a half, so that every id is
-- kept for at least the window.
count = count + redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
local now = math.floor(tonumber(ARGV[5]) / 1000)
local window = tonumber(ARGV[9])
if refreshed == 0 or now - refreshed >= window / 2 or now < refreshed then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[6])
  redis.call('PEXPIRE', KEYS[2], math.floor(window * 3 / 2))
  count = redis.call('ZCARD', KEYS[2])
  refreshed = now
end
local max = tonumber(ARGV[7])
if count > max then
  local removed = redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(max + 1))
  if removed == 0 then count = redis.call('ZCARD', KEYS[2]) else count = count - removed end
end
if last == nil or id > last then last = id end

local value = ARGV[2]
local colon = string.find(value, ':', 1, true)
local header = table.concat({newver, last, refreshed, count, outbox, slots[1], slots[2], slots[3], slots[4]}, ',')
redis.call('SET', KEYS[1], header .. string.sub(value, colon), 'PX', ARGV[8])
return {1, newver, queued or -1, header}
