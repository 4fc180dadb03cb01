-- Releases the lock keys one owner still holds, and hands each key that waiters marked (see
-- acquire.lua) to the first waiter in its queue whose every key is free: a key nobody waits for
-- costs nothing more than its delete.
--   KEYS[1..n]     the lock keys
--   KEYS[n+1..2n]  their waiter queues, in the same order (same hash slots)
--   ARGV[1]        the owner token
--   ARGV[2]        the hand-off channel prefix; a provider's channel is the prefix and its id
--   ARGV[3]        the releasing provider's id: it wakes its own waiters without a message
--   ARGV[4]        "1" when the owner gives up waiting: its queue entries go too
-- A hand-off reserves every key of the waiter's group for it: the key's value becomes the waiter's
-- token, which its next try takes as its own, for the reservation time its entry names, and
-- nobody else's try can take it meanwhile. A waiter whose keys are not all free stays queued, and
-- the keys that still block it are marked, so that their release looks at their queues too.
-- Returns {k, i_1, ..., i_k, owner, ...}: the 1-based indexes of the k keys the owner no longer
-- held (lost), then the waiters of the releasing provider the release handed keys to.
local n = #KEYS / 2
local owner = ARGV[1]
local ownerMarked = owner .. '|'

-- Whether a key's value leaves it free for a waiter: nobody's, or the waiter's own.
local function freeFor(value, waiter)
  return not value or value == waiter or string.sub(value, 1, #waiter + 1) == waiter .. '|'
end

-- Takes an entry off every queue it is on.
local function dequeue(entry, queues)
  for q = 1, #queues do
    redis.call('LREM', queues[q], 1, entry)
  end
end

-- Removes the owner's entries from the queues of its keys.
local function leaveQueues()
  local entryStart = '[' .. cjson.encode(owner) .. ','
  for i = n + 1, 2 * n do
    local entries = redis.call('LRANGE', KEYS[i], 0, -1)
    for e = 1, #entries do
      if string.sub(entries[e], 1, #entryStart) == entryStart then
        redis.call('LREM', KEYS[i], 1, entries[e])
      end
    end
  end
end

local granted = {}

-- Hands the keys of the first waiter of a queue whose keys are all free to it; drops the entries
-- whose wait has ended on the way, and marks the keys that block the others.
local function handOn(queue, nowMillis)
  local entries = redis.call('LRANGE', queue, 0, -1)
  for e = 1, #entries do
    local waiter = cjson.decode(entries[e])
    local token, waitEnd, provider, reservation, keys, queues =
      waiter[1], waiter[2], waiter[3], waiter[4], waiter[5], waiter[6]
    if waitEnd <= nowMillis then
      dequeue(entries[e], queues)
    else
      local values = redis.call('MGET', unpack(keys))
      local blocked = false
      for k = 1, #keys do
        local value = values[k]
        if not freeFor(value, token) then
          blocked = true
          if not string.find(value, '|', 1, true) then
            redis.call('SET', keys[k], value .. '|*', 'KEEPTTL')
          end
        end
      end
      if not blocked then
        dequeue(entries[e], queues)
        for k = 1, #keys do
          local reserved = token
          if redis.call('LLEN', queues[k]) > 0 then
            reserved = token .. '|*'
          end
          redis.call('SET', keys[k], reserved, 'PX', reservation)
        end
        if provider == ARGV[3] then
          granted[#granted + 1] = token
        else
          redis.call('PUBLISH', ARGV[2] .. provider, token)
        end
        return
      end
    end
  end
end

-- One read and one delete for all keys: each call from Lua costs more than the key it touches.
local values = redis.call('MGET', unpack(KEYS, 1, n))
local lost = {}
local released = {}
local waited = {}
for i = 1, n do
  local value = values[i]
  if value == owner then
    released[#released + 1] = KEYS[i]
  elseif value and string.sub(value, 1, #ownerMarked) == ownerMarked then
    released[#released + 1] = KEYS[i]
    waited[#waited + 1] = KEYS[n + i]
  else
    lost[#lost + 1] = i
  end
end
if ARGV[4] == '1' then
  leaveQueues()
end
if #released > 0 then
  redis.call('DEL', unpack(released))
end
if #waited > 0 then
  local now = redis.call('TIME')
  local nowMillis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  for q = 1, #waited do
    handOn(waited[q], nowMillis)
  end
end
local reply = {#lost}
for i = 1, #lost do
  reply[#reply + 1] = lost[i]
end
for g = 1, #granted do
  reply[#reply + 1] = granted[g]
end
return reply
