-- desk_counts.lua — desk_mentions.lua's job with in-mapper combining: the
-- same rules and filter, but each map task counts its mentions per
-- (entity, language) and writes those counts when its input ends, so the
-- shuffle and the reducer see a few lines per task instead of one per
-- mention.  The sum reducer gives exactly desk_mentions.lua's result.
--
--   newsdesk map --key entity scripts/scale/desk_counts.lua < articles.jsonl
local dir = (arg and arg[0] or ""):match("^(.*/)") or "./"
assert(loadfile(dir .. "mentions.lua"))("combine", "filter=" .. dir .. "desk_filter.lua")
