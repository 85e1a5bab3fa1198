-- north_korea_tr.lua — keep Turkish articles from November 2024 about North
-- Korea, without republished copies.  A streaming filter:
--
--   newsdesk map scripts/filters/north_korea_tr.lua [DUPS.jsonl] < articles.jsonl > kept.jsonl
--
-- or from another script:  local keep = dofile("scripts/filters/north_korea_tr.lua")
--                           for a in newsdesk.filters.articles(db, keep) do ... end
--
-- Republished copies: store articles carry the link to their first copy
-- (duplicate_of, set at ingest), so from a store they are always dropped.
-- Articles in a stream carry no such link: they are dropped only when
-- DUPS.jsonl, the output of scripts/reducers/near_duplicates.lua over the
-- same articles (see the README, "Scale-out"), is given; without it every
-- copy that passes the other tests is kept.
-- Copy it and change the filter below; see REFERENCE.md, "newsdesk.filters".
local F = require("newsdesk.filters")

local dups = ...
local keep = F.lang("tr")
           & F.between("2024-11-01", "2024-11-30")
           & F.match('"kuzey kore" OR pyongyang OR "kim jong un" OR kdhc')
           & F.no_duplicates(dups and { list = dups } or nil)

-- newsdesk map calls map(article) for each JSON line: the article is kept
-- (emitted unchanged) or dropped (nil).
function map(article)
  if keep(article) then return article end
  return nil
end

return keep
