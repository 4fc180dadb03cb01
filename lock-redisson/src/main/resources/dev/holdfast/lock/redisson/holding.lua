-- Checks which lock keys one owner still holds and, with a lease, extends them.
--   KEYS      the lock keys
--   ARGV[1]   the owner token
--   ARGV[2]   the new lease in milliseconds, or 0 to only check
-- Returns the 1-based indexes of the keys the owner no longer holds (lost).
local lost = {}
local lease = tonumber(ARGV[2])
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    if lease > 0 then
      redis.call('PEXPIRE', KEYS[i], lease)
    end
  else
    lost[#lost + 1] = i
  end
end
return lost
