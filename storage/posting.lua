-- posting.lua: take or renew the lease on posting a case to staff. The lease is free, expired,
-- or already the caller's (a consumer that restarted under the same name takes its own back).
-- KEYS[1] the lease   ARGV[1] the consumer   ARGV[2] the lease's length (ms)
-- Returns 1 when the caller holds the lease, 0 when another consumer does.
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
