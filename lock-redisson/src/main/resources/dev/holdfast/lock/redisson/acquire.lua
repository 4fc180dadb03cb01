-- Takes every lock key of one hash-slot group for one owner, or none of them.
--   KEYS[1..n]    the lock keys
--   KEYS[n+1..2n] their fencing counters, in the same order (same hash slots)
--   ARGV[1]       the owner token of this acquisition
--   ARGV[2]       the lease in milliseconds
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
local taken = {1}
for i = 1, n do
  redis.call('SET', KEYS[i], owner, 'PX', ARGV[2])
  -- The counter is never deleted, so a token is greater than every earlier token of its key.
  taken[i + 1] = redis.call('INCR', KEYS[n + i])
end
return taken
