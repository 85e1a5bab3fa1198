-- top.lua — a bundled reducer: the N records with the largest FIELD in
-- each group.
--
--   ... | newsdesk map --key lang --input json identity.lua | LC_ALL=C sort \
--     | newsdesk reduce --key key scripts/reducers/top.lua [N [FIELD]]
--
-- N defaults to 10, FIELD to "count".  Records are ranked by FIELD, largest
-- first; ties go by the record's JSON text, so the result does not depend
-- on the order in which shards delivered the records.  Each record written
-- gets `rank` (1..N) and `group` (the key).  A record whose FIELD is not a
-- number is an error naming the key.
local n, field = ...
n = tonumber(n or 10) or error("top.lua: N must be a number, not " .. tostring(n))
field = field or "count"

function reduce(key, records)
  local ranked = {}
  for i, r in ipairs(records) do
    if type(r[field]) ~= "number" then
      error(string.format("record %d of key %q: field %q is a %s, not a number", i, key, field, type(r[field])))
    end
    ranked[i] = { r = r, text = newsdesk.json.encode(r) }
  end
  table.sort(ranked, function(a, b)
    if a.r[field] ~= b.r[field] then return a.r[field] > b.r[field] end
    return a.text < b.text
  end)
  local out = {}
  for i = 1, math.min(n, #ranked) do
    local r = ranked[i].r
    r.rank, r.group = i, key
    out[i] = r
  end
  return out
end
