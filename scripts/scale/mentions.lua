-- mentions.lua — the mapper of the scale-out recipes: one record per
-- entity mention, found by the bundled rule pack (or the rule files given
-- as arguments), with the entity id in field `entity` (so --key entity) and
-- the article's language.  An argument filter=FILE.lua first keeps only
-- the articles the filter that FILE returns keeps (scripts/filters/ and
-- scripts/scale/desk_filter.lua are such files).
--
--   newsdesk map --key entity scripts/scale/mentions.lua [filter=FILE.lua] [RULES...] < articles.jsonl
local packs, keep = {}, nil
for _, a in ipairs { ... } do
  local file = a:match("^filter=(.+)$")
  if file then
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

function map(a)
  if keep and not keep(a) then return nil end
  local out = {}
  local text = (a.title or "") .. "\n" .. (a.body or "")
  for m in rules:scan(text) do
    out[#out + 1] = { entity = m.id, lang = a.lang }
  end
  return out
end
