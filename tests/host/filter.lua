-- filter.lua: what an analyst hands to a host application.  The host calls
-- keep(article) to filter, mentions(article) for entities, summary(article)
-- for a JSON record.  Runs in the sandbox.
local rules = newsdesk.rules.new()
rules:add{ type = "PLACE", id = "ankara", names = { "Ankara" } }
rules:add{ type = "PLACE", id = "berlin", names = { "Berlin" } }
rules:add{ type = "ORG", id = "tbmm", names = { "TBMM", "Türkiye Büyük Millet Meclisi" } }
rules:add{ type = "COUNTRY", id = "russia", names = { "Rusya", "Russia", "Russland", "Россия", "России" } }

local topics = { "bütçe", "budget", "haushalt", "бюджет" }

function keep(a)
  local text = newsdesk.text.fold((a.title or "") .. " " .. (a.body or ""))
  for _, t in ipairs(topics) do
    if text:find(newsdesk.text.fold(t), 1, true) then return true end
  end
  return false
end

function mentions(a)
  return rules:matches(a)
end

function summary(a)
  local ms = rules:matches(a)
  local ids = {}
  for _, m in ipairs(ms) do ids[#ids + 1] = m.id end
  print("summary of " .. (a.url or "?"))
  return { url = a.url, lang = a.lang, mentions = #ms, ids = ids, section = a.meta and a.meta.section }
end
