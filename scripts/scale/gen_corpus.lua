-- gen_corpus.lua — a generated corpus for scale-out tests and measurements:
-- N JSON Lines articles of about SIZE bytes, the same bytes on every run
-- and machine for the same N, SIZE and SEED.
--
--   newsdesk scripts/scale/gen_corpus.lua N [SIZE [SEED]] > corpus.jsonl
--
-- Articles mix Turkish, English and German sentences that name countries,
-- cities and leaders the bundled rule pack knows, with ids, dates across
-- November 2024, sources and languages; every 50th article is a
-- republished copy of an earlier one (other source, a line of chrome), so
-- near-duplicate removal has something to find.
local n, size, seed = ...
n = math.tointeger(tonumber(n or 1000)) or error("gen_corpus.lua: N must be an integer")
size = math.tointeger(tonumber(size or 2000)) or error("gen_corpus.lua: SIZE must be an integer")
local state = math.tointeger(tonumber(seed or 1)) or error("gen_corpus.lua: SEED must be an integer")

-- a small linear congruential generator: math.random differs between builds
local function rand(k)
  state = (state * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff
  return (state >> 33) % k + 1
end

local words = {
  tr = { "Türkiye", "Rusya", "Kuzey Kore", "Almanya", "Ankara", "Moskova", "Berlin", "Erdoğan", "Putin",
         "Hakan Fidan", "Azerbaycan", "Ukrayna", "Pyongyang", "Bakü", "Gazze" },
  en = { "Turkey", "Russia", "North Korea", "Germany", "Ankara", "Moscow", "Berlin", "Erdogan", "Putin",
         "Blinken", "Azerbaijan", "Ukraine", "Pyongyang", "Baku", "Gaza" },
  de = { "Türkei", "Russland", "Nordkorea", "Deutschland", "Ankara", "Moskau", "Berlin", "Erdoğan", "Putin",
         "Baerbock", "Aserbaidschan", "Ukraine", "Pjöngjang", "Baku", "Gaza" },
}
local frames = {
  tr = { "%s ile %s arasındaki görüşmede bölgesel güvenlik ele alındı.", "%s, %s ziyaretinde enerji işbirliğini vurguladı.",
         "Yetkililer %s ve %s hakkında yeni bir açıklama yaptı." },
  en = { "Talks between %s and %s focused on regional security.", "%s stressed energy cooperation during a visit to %s.",
         "Officials issued a new statement on %s and %s." },
  de = { "Die Gespräche zwischen %s und %s drehten sich um die regionale Sicherheit.",
         "%s betonte beim Besuch in %s die Zusammenarbeit bei der Energie.", "Beamte äußerten sich neu zu %s und %s." },
}
local langs, sources = { "tr", "en", "de" }, { "Ajans A", "Wire B", "Zeitung C", "Haber D" }
local made = {}
for id = 1, n do
  local a
  if id % 50 == 0 and id > 50 then
    local orig = made[rand(#made)]
    a = { title = orig.title, lang = orig.lang, body = "Haberi Paylaş\n" .. orig.body,
          source = sources[rand(#sources)], published = orig.published }
  else
    local lang = langs[rand(#langs)]
    local w, f = words[lang], frames[lang]
    local lines = {}
    local len = 0
    while len < size do
      local line = string.format(f[rand(#f)], w[rand(#w)], w[rand(#w)]) .. " " .. tostring(rand(100000))
      lines[#lines + 1] = line
      len = len + #line + 1
    end
    a = { title = string.format(f[rand(#f)], w[rand(#w)], w[rand(#w)]), lang = lang, body = table.concat(lines, "\n"),
          source = sources[rand(#sources)], published = string.format("2024-11-%02dT%02d:%02d:00Z", rand(30), rand(24) - 1, rand(60) - 1) }
    if #made < 1000 then made[#made + 1] = a end
  end
  a.id = id
  a.url = "https://news.example.org/" .. id
  io.write(newsdesk.json.encode(a), "\n")
end
