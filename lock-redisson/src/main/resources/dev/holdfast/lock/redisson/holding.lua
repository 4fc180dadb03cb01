-- Checks which lock keys one owner still holds and, with a lease, extends them.
--   KEYS      the lock keys
--   ARGV[1]   the owner token
--   ARGV[2]   the new lease in milliseconds, or 0 to only check
-- A key held is one whose value is the owner token, with or without a waiting mark (acquire.lua).
-- Returns the 1-based indexes of the keys the owner no longer holds (lost).
local lost = {}
local lease = tonumber(ARGV[2])
local ownerMarked = ARGV[1] .. '|'
for i = 1, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if value == ARGV[1] or (value and string.sub(value, 1, #ownerMarked) == ownerMarked) then
    if lease > 0 then
      redis.call('PEXPIRE', KEYS[i], lease)
    end
  else
    lost[#lost + 1] = i
  end
end
return lost
