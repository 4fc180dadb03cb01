-- Releases the lock keys one owner still holds, and wakes the waiters of each released key.
--   KEYS      the lock keys
--   ARGV[1]   the owner token
--   ARGV[2]   the release channel prefix; the channel of a key is the prefix followed by the key
--   ARGV[3]   the releasing provider's id, so it can ignore its own messages
-- Returns the 1-based indexes of the keys the owner no longer held (lost).
local lost = {}
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    redis.call('PUBLISH', ARGV[2] .. KEYS[i], ARGV[3])
  else
    lost[#lost + 1] = i
  end
end
return lost
