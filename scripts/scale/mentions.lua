-- mentions.lua — the mapper of the scale-out recipes: one record per
-- entity mention, found by the bundled rule pack (or the rule files given
-- as arguments), with the entity id in field `entity` (so --key entity) and
-- the article's language.
--
--   newsdesk map --key entity scripts/scale/mentions.lua [RULES...] < articles.jsonl
local packs = { ... }
if #packs == 0 then packs = { "pack:world" } end
local rules = assert(newsdesk.rules.load(packs))

function map(a)
  local out = {}
  local text = (a.title or "") .. "\n" .. (a.body or "")
  for m in rules:scan(text) do
    out[#out + 1] = { entity = m.id, lang = a.lang }
  end
  return out
end
