-- Takes every lock key of one hash-slot group for one owner, or none of them.
--   KEYS[1..n]    the lock keys
--   KEYS[n+1..2n] their fencing counters, in the same order (same hash slots)
--   ARGV[1]       the owner token of this acquisition
--   ARGV[2]       the lease in milliseconds
--   ARGV[3]       how long a fencing counter outlives its key's last acquisition, in milliseconds
-- Returns {1, token_1, ..., token_n} when every key was taken. Otherwise nothing is written and it
-- returns {0, pttl, i, ...}: the 1-based indexes of the keys other owners hold, and the shortest
-- time any of them has left in milliseconds (-1 if none expires), for the caller's next try.
local n = #KEYS / 2
local owner = ARGV[1]
local blocked = {0, -1}
for i = 1, n do
  local holder = redis.call('GET', KEYS[i])
  -- The owner's own token means this is a retry of an acquisition whose reply was lost.
  if holder and holder ~= owner then
    local pttl = redis.call('PTTL', KEYS[i])
    if pttl >= 0 and (blocked[2] < 0 or pttl < blocked[2]) then
      blocked[2] = pttl
    end
    blocked[#blocked + 1] = i
  end
end
if #blocked > 2 then
  return blocked
end
-- A token is at least this server's clock in microseconds, so that a counter lost to a restart
-- or a failover, or expired while its key was idle, still issues a token above every earlier one
-- (unless the clock went back by more than the time since). Scripts replicate their effects, so
-- replicas store the tokens written here, not a clock of their own. Microseconds since 1970 stay
-- below 2^53, the doubles' exact integers, until 2255; a counter at or above it is not ours.
local now = redis.call('TIME')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
local exact = 9007199254740991
local taken = {1}
for i = 1, n do
  redis.call('SET', KEYS[i], owner, 'PX', ARGV[2])
  local last = tonumber(redis.call('SET', KEYS[n + i], floor, 'PX', ARGV[3], 'GET'))
  local token = floor
  -- The counter is ahead of the clock: a second acquisition within one microsecond, or a clock
  -- that went back. Count on from it, so the key's tokens still only increase.
  if last and last >= floor and last < exact then
    token = last + 1
    redis.call('SET', KEYS[n + i], token, 'PX', ARGV[3])
  end
  taken[i + 1] = token
end
return taken
