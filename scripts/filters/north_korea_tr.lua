-- north_korea_tr.lua — keep Turkish articles from November 2024 about North
-- Korea, without republished near-duplicates.  A streaming filter:
--
--   newsdesk map scripts/filters/north_korea_tr.lua < articles.jsonl > kept.jsonl
--
-- or from another script:  local keep = dofile("scripts/filters/north_korea_tr.lua")
--                           for a in newsdesk.filters.articles(db, keep) do ... end
-- Copy it and change the filter below; see REFERENCE.md, "newsdesk.filters".
local F = require("newsdesk.filters")

local keep = F.lang("tr")
           & F.between("2024-11-01", "2024-11-30")
           & F.match('"kuzey kore" OR pyongyang OR "kim jong un" OR kdhc')
           & F.no_duplicates()

-- newsdesk map calls map(article) for each JSON line: the article is kept
-- (emitted unchanged) or dropped (nil).
function map(article)
  if keep(article) then return article end
  return nil
end

return keep
