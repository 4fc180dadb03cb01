-- A read under fencing tokens. ARGV: owner, nanos, then product, token, quantity per item.
-- Refuses (and records) the whole read if any product has seen a higher token, or the same token
-- from another owner (a token issued twice after a failover). Otherwise claims every product for
-- the owner, so that a holder with an older token can no longer write it, and returns the stocks.
-- Tokens are compared as numbers but written back as the strings they came as: Lua prints a
-- number above 10^14 in exponent form, and the tokens are microseconds since 1970.
local owner, nanos = ARGV[1], ARGV[2]
local items = (#ARGV - 2) / 3
for i = 0, items - 1 do
  local product, tokenText = ARGV[3 + 3 * i], ARGV[4 + 3 * i]
  local fenceText = redis.call('GET', 'fence:' .. product) or '0'
  local token, fence = tonumber(tokenText), tonumber(fenceText)
  local holder = redis.call('GET', 'fence-owner:' .. product) or ''
  local reason = nil
  if token < fence then
    reason = 'stale'
  elseif token == fence and holder ~= owner then
    reason = 'duplicate'
  end
  if reason then
    local stock = redis.call('GET', 'stock:' .. product) or '0'
    redis.call('RPUSH', 'record', table.concat({'read', 'refused', product, tokenText, owner,
      nanos, stock, ARGV[5 + 3 * i], reason .. ':fence=' .. fenceText .. ':holder=' .. holder},
      '\t'))
    return {'refused', product .. ' ' .. reason .. ', fence ' .. fenceText .. ' of ' .. holder}
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
