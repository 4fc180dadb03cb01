-- The write of an order under fencing tokens. ARGV: owner, nanos, then product, token, new stock,
-- quantity per item. Accepts all items or none: only if every product is still claimed by this
-- owner under this token (no one read or wrote it with a newer token since this owner read it).
-- Records every item as accepted or refused. A repeated write of an already committed owner
-- changes nothing and reports ok, so a resent request cannot deduct twice.
local owner, nanos = ARGV[1], ARGV[2]
local items = (#ARGV - 2) / 4
if redis.call('SISMEMBER', 'committed', owner) == 1 then
  return {'ok', 'already committed'}
end
local refusal = nil
for i = 0, items - 1 do
  local product, token = ARGV[3 + 4 * i], ARGV[4 + 4 * i]
  local fence = redis.call('GET', 'fence:' .. product) or '0'
  local holder = redis.call('GET', 'fence-owner:' .. product) or ''
  if fence ~= token or holder ~= owner then
    refusal = 'superseded:fence=' .. fence .. ':holder=' .. holder
    break
  end
end
for i = 0, items - 1 do
  local product, token, stock, quantity =
    ARGV[3 + 4 * i], ARGV[4 + 4 * i], ARGV[5 + 4 * i], ARGV[6 + 4 * i]
  if refusal == nil then
    redis.call('SET', 'stock:' .. product, stock)
  end
  redis.call('RPUSH', 'record', table.concat({'write', refusal and 'refused' or 'accepted',
    product, token, owner, nanos, stock, quantity, refusal or '-'}, '\t'))
end
if refusal then
  return {'refused', refusal}
end
redis.call('SADD', 'committed', owner)
redis.call('INCR', 'commits')
return {'ok'}
