-- sum.lua — a bundled reducer: one record per key with the sum of a count
-- field over the key's records.
--
--   newsdesk map --key entity mentions.lua < articles.jsonl | LC_ALL=C sort \
--     | newsdesk reduce scripts/reducers/sum.lua [FIELD] > counts.jsonl
--
-- FIELD (default "count") is summed; a record without it counts 1, so a
-- mapper may emit one bare record per occurrence.  The result is
-- { key = KEY, FIELD = total } plus every other field on which all the
-- key's records agree (a mapper's `entity` or `lang`, say), so the output
-- can be keyed again (newsdesk map --key lang) for a next stage such as
-- top.lua.  Partial sums (a combiner's output) sum again to the same total,
-- so the reducer may run twice.
local field = ... or "count"

local function same(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then return a == b end
  return newsdesk.json.encode(a) == newsdesk.json.encode(b)
end

function reduce(key, records)
  local total, agreed = 0, {}
  for k, v in pairs(records[1]) do agreed[k] = v end
  for i, r in ipairs(records) do
    local n = r[field]
    if n == nil then n = 1 end
    if type(n) ~= "number" then
      error(string.format("record %d of key %q: field %q is a %s, not a number", i, key, field, type(n)))
    end
    total = total + n
    for k, v in pairs(agreed) do
      if not same(r[k], v) then agreed[k] = nil end
    end
  end
  agreed[field] = total
  agreed.key = key
  return agreed
end
