-- Releases the lock keys one owner still holds, and wakes the waiters other providers marked on
-- them (see acquire.lua): a key nobody else waits for costs no message.
--   KEYS      the lock keys
--   ARGV[1]   the owner token
--   ARGV[2]   the release channel prefix; the channel of a key is the prefix followed by the key
--   ARGV[3]   the releasing provider's id: it wakes its own waiters without a message
-- Returns the 1-based indexes of the keys the owner no longer held (lost).
-- One read and one delete for all keys: each call from Lua costs more than the key it touches.
local values = redis.call('MGET', unpack(KEYS))
local ownerMarked = ARGV[1] .. '|'
local lost = {}
local released = {}
local waited = {}
for i = 1, #KEYS do
  local value = values[i]
  if value == ARGV[1] then
    released[#released + 1] = KEYS[i]
  elseif value and string.sub(value, 1, #ownerMarked) == ownerMarked then
    released[#released + 1] = KEYS[i]
    if string.sub(value, #ownerMarked + 1) ~= ARGV[3] then
      waited[#waited + 1] = KEYS[i]
    end
  else
    lost[#lost + 1] = i
  end
end
if #released > 0 then
  redis.call('DEL', unpack(released))
end
for i = 1, #waited do
  redis.call('PUBLISH', ARGV[2] .. waited[i], ARGV[3])
end
return lost
