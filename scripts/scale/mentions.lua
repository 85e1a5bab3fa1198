-- mentions.lua — the mapper of the scale-out recipes: one record per
-- entity mention, found by the bundled rule pack (or the rule files given
-- as arguments), with the entity id in field `entity` (so --key entity) and
-- the article's language.  An argument filter=FILE.lua first keeps only
-- the articles the filter that FILE returns keeps (scripts/filters/ and
-- scripts/scale/desk_filter.lua are such files).  The argument `combine`
-- counts in the mapper instead (in-mapper combining): one record per
-- (entity, language) with its `count`, written by finish() when the input
-- ends, so a task ships a few lines, not one per mention; the sum reducer
-- gives the same result either way.
--
--   newsdesk map --key entity scripts/scale/mentions.lua [combine] [filter=FILE.lua] [RULES...] < articles.jsonl
local packs, keep, combine = {}, nil, false
for _, a in ipairs { ... } do
  local file = a:match("^filter=(.+)$")
  if a == "combine" then
    combine = true
  elseif file then
    keep = dofile(file)
    if not newsdesk.filters.is_filter(keep) then
      error("mentions.lua: " .. file .. " does not return a filter")
    end
  else
    packs[#packs + 1] = a
  end
end
if #packs == 0 then packs = { "pack:world" } end
local rules = assert(newsdesk.rules.load(packs))

local counts, order = {}, {}     -- combine: "entity\0lang" -> record

function map(a)
  if keep and not keep(a) then return nil end
  local out = {}
  local text = (a.title or "") .. "\n" .. (a.body or "")
  for m in rules:scan(text) do
    if combine then
      local k = m.id .. "\0" .. tostring(a.lang)
      local r = counts[k]
      if r then
        r.count = r.count + 1
      else
        r = { entity = m.id, lang = a.lang, count = 1 }
        counts[k] = r
        order[#order + 1] = r
      end
    else
      out[#out + 1] = { entity = m.id, lang = a.lang }
    end
  end
  return out
end

if combine then
  function finish() return order end
end
