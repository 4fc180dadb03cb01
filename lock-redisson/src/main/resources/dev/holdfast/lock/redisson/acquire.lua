-- Takes every lock key of one hash-slot group for one owner, or none of them.
--   KEYS[1..n]    the lock keys
--   KEYS[n+1..2n] their fencing counters, in the same order (same hash slots)
--   ARGV[1]       the owner token of this acquisition
--   ARGV[2]       the lease in milliseconds
--   ARGV[3]       how long a fencing counter outlives its key's last acquisition, in milliseconds
--   ARGV[4]       the acquiring provider's id, to mark the keys it will wait for
-- A lock key's value is its owner's token, followed by "|" and a waiting mark once another owner
-- found it taken: the id of the waiters' provider, or "*" for waiters of several providers. The
-- mark tells the release whom to wake (release.lua), and lives and dies with the hold.
-- Returns {1, floor, i, token_i, ...} when every key was taken: each key's fencing token is floor,
-- this server's clock in microseconds, but for the keys whose counter was ahead of it, given by
-- 1-based index with their own token (a reply of two integers, not n + 1, in the usual case).
-- Otherwise it only marks the keys other owners hold and returns {0, pttl, i, ...}: their 1-based
-- indexes, and the shortest time any of them has left in milliseconds (-1 if none expires), for
-- the caller's next try.
local n = #KEYS / 2
local owner = ARGV[1]
local ownerMarked = owner .. '|'

-- Adds the waiting provider to the mark of a key another owner holds; the key keeps its lease.
local function markWaited(key, holder)
  local bar = string.find(holder, '|', 1, true)
  local marked
  if not bar then
    marked = holder .. '|' .. ARGV[4]
  else
    local mark = string.sub(holder, bar + 1)
    if mark ~= ARGV[4] and mark ~= '*' then
      marked = string.sub(holder, 1, bar) .. '*'
    end
  end
  if marked then
    redis.call('SET', key, marked, 'KEEPTTL')
  end
end

-- One read of every key and counter: each call from Lua costs more than the key it reads, and a
-- request has at most 1,000 keys, well within what unpack takes.
local values = redis.call('MGET', unpack(KEYS))
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
  return blocked
end
-- MGET reads a key of another type as missing, where SET would overwrite it: if more keys exist
-- than MGET read, GET the culprit for Redis's own WRONGTYPE error, before anything is written.
local strings = 0
for i = 1, #KEYS do
  if values[i] then
    strings = strings + 1
  end
end
if redis.call('EXISTS', unpack(KEYS)) > strings then
  for i = 1, #KEYS do
    redis.call('GET', KEYS[i])
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
return taken
