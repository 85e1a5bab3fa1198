-- unique.lua — a bundled reducer: the distinct values of a field in each
-- group.
--
--   newsdesk map --key entity mentions.lua < articles.jsonl | LC_ALL=C sort \
--     | newsdesk reduce scripts/reducers/unique.lua [FIELD] > sources.jsonl
--
-- FIELD defaults to "value".  The result is { key = KEY, FIELD = {values},
-- n = #values }: values sorted (numbers before strings, each in their
-- natural order) so that the result does not depend on how the input was
-- split; a record without FIELD adds nothing.  A value that is a list
-- adds each item, so the reducer's own output reduces again to the same
-- result.
local field = ... or "value"

local function before(a, b)
  if type(a) ~= type(b) then return type(a) == "number" end
  return a < b
end

function reduce(key, records)
  local seen, values = {}, {}
  local function add(v)
    if type(v) ~= "string" and type(v) ~= "number" then
      error(string.format("key %q: a value of field %q is a %s, not a string or number", key, field, type(v)))
    end
    local k = type(v) .. ":" .. tostring(v)
    if not seen[k] then seen[k] = true; values[#values + 1] = v end
  end
  for _, r in ipairs(records) do
    local v = r[field]
    if type(v) == "table" then
      for _, x in ipairs(v) do add(x) end
    elseif v ~= nil then
      add(v)
    end
  end
  table.sort(values, before)
  return { key = key, [field] = newsdesk.json.array(values), n = #values }
end
