-- Full-text search: folding, Turkish suffixes, hyphenated names, FTS5 syntax, snippets.
local T = dofile("tests/lua/harness.lua")
local db = newsdesk.open()

local articles = {
  { title = "Güney Kore'den Kuzey Kore'ye çağrı", source = "ajans-a", date = "2024-11-04T23:58:00+03:00",
    body = "Seul'de yapılan toplantıda Güney Kore Dışişleri Bakanı, Kuzey Kore'nin Rusya'ya asker "
        .. "göndermesini eleştirdi. Açıklamada Pyongyang yönetiminin adımlarının bölgeyi tehdit ettiği vurgulandı." },
  { title = "GÜNEY KORE SEÇİMLERİNDE SONUÇ", source = "ajans-b", date = "2024-04-11",
    body = "ÜLKEDE YAPILAN GENEL SEÇİMLERDE MUHALEFET MECLİSTE ÇOĞUNLUĞU KORUDU. İSTANBUL'DAKİ "
        .. "KONSOLOSLUKTA DA OY KULLANILDI." },
  { title = "Kim Jong-un füze denemesini izledi", source = "ajans-a", date = "2024-10-31",
    body = "Kuzey Kore lideri Kim Jong-un, yeni kıtalararası füzenin deneme atışını izledi. "
        .. "Rusya’nın tepkisi ölçülü oldu; Moskova açıklama yapmadı." },
  { title = "Moskova'da görüşme", source = "ajans-c", date = "2024-11-01",
    body = "Kim Jong Un’un kız kardeşi, Moskova'da Rus yetkililerle görüştü. Görüşmede Ukrayna "
        .. "savaşı ve enerji anlaşmaları ele alındı." },
  { title = "Istanbul hosts energy summit", source = "wire-en", date = "2024-09-12", lang = "en",
    body = "Ministers from the region met in Istanbul to discuss gas pipelines and electricity "
        .. "interconnectors, officials said on Thursday." },
  { title = "Energiegipfel in Istanbul", source = "wire-de", date = "2024-09-12", lang = "de",
    body = "Die Minister trafen sich in Istanbul, um über Gasleitungen und Stromnetze zu beraten. "
        .. "Die Gespräche sollen im Frühjahr fortgesetzt werden." },
  { title = "Саммит в Стамбуле", source = "wire-ru", date = "2024-09-13", lang = "ru",
    body = "Министры стран региона встретились в Стамбуле, чтобы обсудить газопроводы и "
        .. "энергосети. Переговоры продолжатся весной." },
  { title = "Koreli şirketler Avrupa'da", source = "ajans-b", date = "2024-08-20",
    body = "Koreli otomobil üreticileri Avrupa pazarında payını artırdı; Korece eğitim veren "
        .. "kurslara ilgi de yükseldi." },
}
local ids = {}
for i, a in ipairs(articles) do
  local id, is_new = db:add(a)
  T.ok(id and is_new, "add sample " .. i)
  ids[i] = id
end

local function found(q, opts)
  local hits, err = db:search(q, opts)
  assert(hits, err)
  local set = {}
  for _, h in ipairs(hits) do set[#set + 1] = h.article.id end
  table.sort(set)
  return set
end

-- case and diacritics
T.eq(found("guney kore"), { ids[1], ids[2] }, "guney kore finds both Güney Kore articles")
T.eq(found("GÜNEY KORE"), found("guney kore"), "GÜNEY KORE finds the same articles")
T.eq(found("Güney Kore"), found("guney kore"), "Güney Kore finds the same articles")
-- apostrophe suffixes, straight and curly
T.eq(found("rusya"), { ids[1], ids[3] }, "rusya finds Rusya'ya and Rusya’nın")
T.eq(found("Rusya'ya"), found("rusya"), "a suffixed query word is searched by its stem")
-- dotted and dotless I
T.eq(found("istanbul"), { ids[2], ids[5], ids[6] }, "istanbul finds İSTANBUL'DAKİ and Istanbul")
T.eq(found("İSTANBUL"), found("istanbul"), "İSTANBUL as the query too")
-- hyphenated names
T.eq(found("kim jong un"), { ids[3], ids[4] }, "kim jong un finds Kim Jong-un and Kim Jong Un’un")
T.eq(found('"kim jong un"'), { ids[3], ids[4] }, "as a phrase too")
T.eq(found("Jong-un"), { ids[3], ids[4] }, "a hyphenated query word is a phrase of its parts")
-- phrase, prefix, boolean, NEAR
T.eq(found('"kuzey kore"'), { ids[1], ids[3] }, "phrase query")
T.eq(found('"kore güney"'), {}, "phrase order matters")
T.eq(found("kore*"), { ids[1], ids[2], ids[3], ids[8] }, "prefix kore* finds Kore, Kore'nin, Koreli")
T.eq(found("moskova AND rusya"), { ids[3] }, "AND")
T.eq(found("seçimlerde OR görüştü"), { ids[2], ids[4] }, "OR")
T.eq(found("moskova NOT rusya"), { ids[4] }, "NOT")
T.eq(found("NEAR(kim moskova, 5)"), { ids[4] }, "NEAR within 5 words")
T.eq(found("NEAR(kim moskova, 12)"), { ids[3], ids[4] }, "NEAR within 12 words")
T.eq(found("NEAR(kim moskova, 2)"), {}, "NEAR too far apart")
T.eq(found("title:istanbul"), { ids[5], ids[6] }, "column filter")
T.eq(found("стамбуле"), { ids[7] }, "Cyrillic words")
T.eq(found("СТАМБУЛЕ"), { ids[7] }, "Cyrillic case folding")
T.eq(found("fruhjahr"), { ids[6] }, "German umlaut folded")

-- snippets mark the words as written
local function snip(q, opts)
  local hits = assert(db:search(q, opts))
  return hits[1] and hits[1].snippet
end
T.ok(snip("rusya'ya", { ids = { ids[1] } }):find("[Rusya'ya]", 1, true), "snippet marks Rusya'ya as written")
T.ok(snip("rusya", { ids = { ids[3] } }):find("[Rusya’nın]", 1, true), "snippet marks Rusya’nın as written")
T.ok(snip("istanbul", { source = "ajans-b" }):find("[İSTANBUL'DAKİ]", 1, true),
  "snippet marks İSTANBUL'DAKİ as written")
T.ok(snip('"kim jong un"', { ids = { ids[4] } }):find("[Kim Jong Un’un]", 1, true),
  "snippet marks the whole phrase Kim Jong Un’un")
T.ok(snip('"kim jong un"', { ids = { ids[3] } }):find("[Kim Jong-un]", 1, true),
  "snippet marks Kim Jong-un")
T.ok(snip("guney", { mark = { "<b>", "</b>" } }):find("<b>Güney</b>", 1, true), "custom marks")
local hits = db:search("kore", { snippet = false })
T.ok(hits[1] and hits[1].snippet == nil, "snippet=false leaves snippets out")
T.ok(type(hits[1].score) == "number", "hits carry a bm25 score")
for i = 2, #hits do
  T.ok(hits[i - 1].score <= hits[i].score, "hits are best first (" .. i .. ")")
end
T.eq(#db:search("kore", { limit = 2 }), 2, "limit")
T.eq(#db:search("kore*", { source = "ajans-b" }), 2, "search with a source filter")

-- db:articles with match
local n = 0
for a in db:articles { match = "istanbul", lang = "en" } do n = n + 1; T.eq(a.id, ids[5], "match + lang") end
T.eq(n, 1, "one English article about Istanbul")
T.eq(db:count { match = "kore" }, 4, "count with match: Kore, Kore'nin, Koreli (-li: derive is on)")
T.eq(db:count { match = "kore", derive = false }, 3, "derive=false leaves out Koreli")

-- bad queries fail politely
local h, msg, code = db:search('"unbalanced')
T.ok(h == nil and code == "syntax" and msg:find("bad search query", 1, true), "unbalanced quote is a syntax failure: " .. tostring(msg))
h, msg, code = db:search("AND OR")
T.ok(h == nil and code == "syntax", "operator soup is a syntax failure")
T.raises(function() db:search() end, "bad argument #1 to 'search'", "search needs a string")
T.eq(found("'; DROP TABLE articles; --"), {}, "SQL in a search string is just words")
T.eq(db:count(), #articles, "and the table is still there")
db:close()
T.done()
