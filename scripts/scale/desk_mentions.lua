-- desk_mentions.lua — the mapper the scale-out figures are measured with:
-- mentions.lua's records for the articles desk_filter.lua keeps (rules and
-- a filter in one map, with no script arguments, which the recipes'
-- MAP-ARGS cannot carry: those are options of `newsdesk map`).
--
--   newsdesk map --key entity scripts/scale/desk_mentions.lua < articles.jsonl
local dir = (arg and arg[0] or ""):match("^(.*/)") or "./"
assert(loadfile(dir .. "mentions.lua"))("filter=" .. dir .. "desk_filter.lua")
