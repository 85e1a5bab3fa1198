-- desk_filter.lua — the filter of the scale-out measurements: Turkish and
-- English articles from 3 November 2024 on that name Ankara or Russia (in
-- either language, any inflection), without copies marked as such.
--
--   newsdesk map --key entity scripts/scale/mentions.lua filter=scripts/scale/desk_filter.lua
--   newsdesk map scripts/scale/desk_filter.lua < articles.jsonl    -- the kept articles
local F = newsdesk.filters
local keep = F.lang("tr", "en") & F.since("2024-11-03") & F.match("ankara OR rusya OR russia") & F.no_duplicates()

function map(article)
  if keep(article) then return article end
end

return keep
