-- Takes every lock key of one hash-slot group for one owner, or none of them.
--   KEYS[1..n]     the lock keys
--   KEYS[n+1..2n]  their fencing counters, in the same order (same hash slots)
--   KEYS[2n+1..3n] their waiter queues, in the same order (same hash slots)
--   ARGV[1]        the owner token of this acquisition
--   ARGV[2]        the lease in milliseconds
--   ARGV[3]        how long a fencing counter outlives its key's last acquisition, in milliseconds
--   ARGV[4]        the acquiring provider's id, to name it in the owner's queue entry
--   ARGV[5]        how long the owner waits for the keys from now, in milliseconds (0: no queue)
--   ARGV[6]        how long a key handed to the owner by a release stays reserved, in milliseconds
--   ARGV[7]        "1" when an earlier try of this acquisition may have left the owner queued: it
--                  failed, and no release has handed the keys to the owner since
-- A lock key's value is its owner's token, followed by "|*" once another owner found it taken and
-- queued for it: the mark tells the release to hand the key on (release.lua), and lives and dies
-- with the hold. A failed try appends the owner to the queue of each key of the group (once: a
-- retry keeps its place), as a JSON array {owner, wait end by this server's clock in milliseconds,
-- provider id, reservation in milliseconds, lock keys, queue keys}.
-- Returns {1, floor, i, token_i, ...} when every key was taken: each key's fencing token is floor,
-- this server's clock in microseconds, but for the keys whose counter was ahead of it, given by
-- 1-based index with their own token (a reply of two integers, not n + 1, in the usual case).
-- Otherwise it only marks and queues, and returns {0, pttl, i, ...}: the indexes of the keys other
-- owners hold, and the shortest time any of them has left in milliseconds (-1 if none expires), for
-- the caller's next try.
local n = #KEYS / 3
local owner = ARGV[1]
local ownerMarked = owner .. '|'

-- Marks a key another owner holds as waited for; the key keeps its lease.
local function markWaited(key, holder)
  if not string.find(holder, '|', 1, true) then
    redis.call('SET', key, holder .. '|*', 'KEEPTTL')
  end
end

-- An entry of the owner's starts with its token, the first element of the JSON array.
local entryStart = '[' .. cjson.encode(owner) .. ','

-- Returns the owner's entry in a queue, or nil.
local function entryIn(queue)
  local entries = redis.call('LRANGE', queue, 0, -1)
  for e = 1, #entries do
    if string.sub(entries[e], 1, #entryStart) == entryStart then
      return entries[e]
    end
  end
  return nil
end

-- Appends the owner to the queue of every key of the group where it is not queued yet (only an
-- owner that may be queued looks); a queue lives at least as long as its entries.
local function enqueue()
  local wait = tonumber(ARGV[5])
  local now = redis.call('TIME')
  local nowMillis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  local lockKeys = {}
  local queueKeys = {}
  for i = 1, n do
    lockKeys[i] = KEYS[i]
    queueKeys[i] = KEYS[2 * n + i]
  end
  local entry =
    cjson.encode({owner, nowMillis + wait, ARGV[4], tonumber(ARGV[6]), lockKeys, queueKeys})
  local lifetime = wait + tonumber(ARGV[6])
  for i = 1, n do
    if ARGV[7] ~= '1' or not entryIn(queueKeys[i]) then
      redis.call('RPUSH', queueKeys[i], entry)
    end
    if redis.call('PTTL', queueKeys[i]) < lifetime then
      redis.call('PEXPIRE', queueKeys[i], lifetime)
    end
  end
end

-- One read of every key and counter: each call from Lua costs more than the key it reads, and a
-- request has at most 1,000 keys, well within what unpack takes.
local values = redis.call('MGET', unpack(KEYS, 1, 2 * n))
local blocked = {0, -1}
for i = 1, n do
  local holder = values[i]
  -- The owner's own token means this is a retry of an acquisition whose reply was lost.
  if holder and holder ~= owner and string.sub(holder, 1, #ownerMarked) ~= ownerMarked then
    local pttl = redis.call('PTTL', KEYS[i])
    if pttl >= 0 and (blocked[2] < 0 or pttl < blocked[2]) then
      blocked[2] = pttl
    end
    blocked[#blocked + 1] = i
  end
end
if #blocked > 2 then
  for b = 3, #blocked do
    markWaited(KEYS[blocked[b]], values[blocked[b]])
  end
  if tonumber(ARGV[5]) > 0 then
    enqueue()
  end
  return blocked
end
-- MGET reads a key of another type as missing, where SET would overwrite it: if more keys exist
-- than MGET read, GET the culprit for Redis's own WRONGTYPE error, before anything is written.
local strings = 0
for i = 1, 2 * n do
  if values[i] then
    strings = strings + 1
  end
end
if redis.call('EXISTS', unpack(KEYS, 1, 2 * n)) > strings then
  for i = 1, 2 * n do
    redis.call('GET', KEYS[i])
  end
end
-- A queued owner leaves its queues; a key whose queue has other waiters is taken marked, so that
-- its release hands it on. The entries go only after the keys are written below: Redis refuses a
-- script's first write that needs memory when it is full (a SET), but lets a script that has
-- written (an LREM frees memory) go on writing, and a full Redis must refuse the acquisition.
local entries = {}
if ARGV[7] == '1' then
  for i = 1, n do
    local queue = KEYS[2 * n + i]
    entries[i] = entryIn(queue)
    local others = redis.call('LLEN', queue)
    if entries[i] then
      others = others - 1
    end
    if others > 0 and (values[i] or owner) == owner then
      values[i] = owner .. '|*'
    end
  end
end
-- A token is at least this server's clock in microseconds, so that a counter lost to a restart
-- or a failover, or expired while its key was idle, still issues a token above every earlier one
-- (unless the clock went back by more than the time since). Scripts replicate their effects, so
-- replicas store the tokens written here, not a clock of their own. Microseconds since 1970 stay
-- below 2^53, the doubles' exact integers, until 2255; a counter at or above it is not ours.
local now = redis.call('TIME')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
local exact = 9007199254740991
local taken = {1, floor}
for i = 1, n do
  -- A retry keeps the waiting mark its first try's key may have gained since.
  redis.call('SET', KEYS[i], values[i] or owner, 'PX', ARGV[2])
  local last = tonumber(values[n + i])
  local token = floor
  -- The counter is ahead of the clock: a second acquisition within one microsecond, or a clock
  -- that went back. Count on from it, so the key's tokens still only increase.
  if last and last >= floor and last < exact then
    token = last + 1
    taken[#taken + 1] = i
    taken[#taken + 1] = token
  end
  redis.call('SET', KEYS[n + i], token, 'PX', ARGV[3])
end
for i, entry in pairs(entries) do
  redis.call('LREM', KEYS[2 * n + i], 1, entry)
end
return taken
