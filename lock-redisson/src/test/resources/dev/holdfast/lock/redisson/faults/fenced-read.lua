-- A read under fencing tokens. ARGV: owner, nanos, then product, token, quantity per item.
-- Refuses (and records) the whole read if any product has seen a higher token, or the same token
-- from another owner (a token issued twice after a failover). Otherwise claims every product for
-- the owner, so that a holder with an older token can no longer write it, and returns the stocks.
local owner, nanos = ARGV[1], ARGV[2]
local items = (#ARGV - 2) / 3
for i = 0, items - 1 do
  local product, token = ARGV[3 + 3 * i], tonumber(ARGV[4 + 3 * i])
  local fence = tonumber(redis.call('GET', 'fence:' .. product) or '0')
  local holder = redis.call('GET', 'fence-owner:' .. product) or ''
  local reason = nil
  if token < fence then
    reason = 'stale'
  elseif token == fence and holder ~= owner then
    reason = 'duplicate'
  end
  if reason then
    local stock = redis.call('GET', 'stock:' .. product) or '0'
    redis.call('RPUSH', 'record', table.concat({'read', 'refused', product, token, owner, nanos,
      stock, ARGV[5 + 3 * i], reason .. ':fence=' .. fence .. ':holder=' .. holder}, '\t'))
    return {'refused', product .. ' ' .. reason .. ', fence ' .. fence .. ' of ' .. holder}
  end
end
local reply = {'ok'}
for i = 0, items - 1 do
  local product, token = ARGV[3 + 3 * i], ARGV[4 + 3 * i]
  redis.call('SET', 'fence:' .. product, token)
  redis.call('SET', 'fence-owner:' .. product, owner)
  reply[#reply + 1] = redis.call('GET', 'stock:' .. product) or '0'
end
return reply
