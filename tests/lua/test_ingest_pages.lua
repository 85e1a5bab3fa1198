-- Ingest of the shapes real scraped news comes in (issue "Real pages in"),
-- on samples written for the tests (tests/data/pages, in Turkish, English,
-- German and Russian): crawl records saved as text (title, crawl time and
-- URL lines over a full HTML article, an image-led summary or plain text),
-- plain pages dated only by an agency dateline, pages with topic labels,
-- captions and footers, and JSON Lines / CSV fields holding HTML.
local T = dofile("tests/lua/harness.lua")
local nd = require("newsdesk")
local D = "tests/data/pages/"

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function has(s, needle) return s ~= nil and s:find(needle, 1, true) ~= nil end

-- Whatever the shape, a body never shows markup, character references or
-- the crawl record's header lines.
local function clean(name, a)
  T.ok(not a.body:find("<%a") and not a.body:find("</"), name .. ": no tags in the body")
  T.ok(not a.body:find("&#?%w+;"), name .. ": no character references in the body")
  T.ok(not a.body:find("https?://") and not a.body:find("%d%d%d%d%-%d%d%-%d%d %d%d:%d%d"),
    name .. ": no URL or crawl-time line in the body")
  T.ok(not has(a.body, a.title), name .. ": the title is not repeated in the body")
end

-- name, expected fields, phrases the body keeps, phrases that must leave it
local cases = {
  { "crawl_tr_full.txt",
    { title = "Dışişleri Bakanı Viyana'da mevkidaşıyla bir araya geldi...", date = "2017-04-10T03:48:34",
      date_text = "2017-04-10 03:48:34", source = "AA", lang = "tr",
      url = "https://haber.example.com.tr/dunya/disisleri-bakani-viyana-gorusmesi-12345" },
    { "Dışişleri Bakanı, Avusturya’nın başkentinde", "çok taraflı diplomasi ve göç", "Türkiye’nin AB üyelik",
      "sürecine ilişkin", '"Diyaloğun sürmesi' },
    { "ANKARA (AA)", "Avrupa\n", "aile fotoğrafı", "Fotoğraf", "Konular", "dataLayer", "Bakan Viyana'da" } },
  { "crawl_tr_summary.txt",
    { title = "Meclis yeni yasama yılına başladı.", date = "2017-10-02T14:05:11",
      url = "http://gazete.example.org/siyaset/meclis-yeni-yasama-yili" },
    { "Türkiye Büyük Millet Meclisi", "Ekim'in ikinci yarısında" }, { "meclis.jpg" } },
  { "crawl_tr_plain.txt",
    { title = "Kar yağışı nedeniyle okullar tatil mi?", date = "2018-01-15T07:12:00",
      source = "Al Jazeera, AA", url = "https://yerel.example.com/egitim/kar-tatili" },
    { "Valilik, kar yağışının", "dışarı çıkarmamaları istendi." }, { "Kaynak", "Etiketler" } },
  { "crawl_en_full.txt",
    { title = "Port strike enters second week as talks stall.", date = "2016-09-21T18:30:02",
      source = "Reuters", author = "Tom Ashworth", lang = "en",
      url = "https://news.example.co.uk/business/port-strike-second-week" },
    { "Dock workers", "“not accept a real-terms cut”", "coast — a move", "according to an industry group." },
    { "By Tom", "Idle cranes", "Photo:", "Harbour Authority", "Source:", "Primary Topic", "Labour disputes" } },
  { "crawl_en_summary.txt",
    { title = "Council approves plan for new riverside park...", date = "2016-07-19T08:01:44",
      url = "http://citypaper.example.com/news/riverside-park" },
    { "disused rail yard", "next spring & finish" }, { "park.jpg" } },
  { "crawl_de_full.txt",
    { title = "Koalition einigt sich auf Rentenpaket", date = "2014-11-04T21:07:55", source = "Reuters",
      lang = "de", url = "https://nachrichten.example.de/politik/koalition-rentenpaket" },
    { "Die Spitzen der Koalition", "verständigt.", "über Steuermittel", "„teuren Kompromiss auf Kosten der Jungen“" },
    { "BERLIN,", "(Reuters)", "Foto:", "Themen:", "Anzeige", "Politik" } },
  { "crawl_de_summary.txt",
    { title = "Bahnstreik legt Fernverkehr lahm", date = "2015-05-06T05:30:12",
      url = "https://zeitung.example.at/wirtschaft/bahnstreik" },
    { "Der Streik der Lokführer", "Fahrgemeinschaften ausweichen." }, { "bahn.jpg" } },
  { "crawl_de_plain.txt",
    { title = "Stadtrat beschließt neuen Haushalt.", date = "2015-02-01T20:15:45", source = "APA",
      url = "https://zeitung.example.at/lokal/stadtrat-haushalt" },
    { "Der Stadtrat hat", "auf die Tagesordnung zu bringen." }, { "(APA", "1.2.2015" } },
  { "crawl_en_plain.txt",
    { title = "Council approves new cycle lanes?", date = "2018-09-14T07:05:12", date_text = "2018-09-14 07:05:12",
      source = "Reuters", lang = "en", url = "https://news.example.co.uk/local/council-cycle-lanes" },
    { "The city council voted", "review the plan in the spring." }, { "Photo:", "Source:", "Council approves" } },
  { "crawl_ru_full.txt",
    { title = "Правительство утвердило план по ремонту дорог.", date = "2020-03-11T16:22:09",
      source = "Интерфакс", lang = "ru", url = "https://vesti.example.ru/economy/remont-dorog" },
    { "региональных дорог", "в пресс-службе кабмина", "в мае — сразу после схода снега." },
    { "Экономика", "Фото", "Источник" } },
  { "crawl_ru_summary.txt",
    { title = "В Казани открыли новый мост через реку", date = "2019-06-03T09:41:27",
      url = "https://novosti.example.ru/regions/kazan-most" },
    { "В Казани в понедельник", "вдвое. Строительство заняло три года." }, { "most.jpg" } },
  { "crawl_ru_plain.txt",
    { title = "Когда откроется новая станция метро?", date = "2021-09-30T12:00:00",
      url = "https://gorod.example.ru/transport/novaya-stanciya" },
    { "откроется в декабре", "монтируют эскалаторы." }, { "Теги" } },
  -- plain pages dated by an agency dateline only
  { "dateline_de_apa.txt",
    { title = "Neue Straßenbahnlinie nimmt Betrieb auf", date = "2015-02-01", date_text = "1.2.2015", source = "APA" },
    { "in Betrieb gegangen.", "ursprünglichen Schätzung." }, { "(APA" } },
  { "dateline_de_red.txt",
    { title = "Hochwasser: Pegel sinken langsam", date = "2016-05-15", source = "red" },
    { "langsam zurück.", "erwartet werden." }, { "(red" } },
  { "dateline_de_dpa.txt",
    { title = "Gespräche über Gaslieferungen vertagt", source = "dpa" },
    { "Die Verhandlungen über neue Gaslieferungen", "fortsetzen." }, { "MOSKAU", "(dpa)" } },
  { "dateline_de_reuters.txt",
    { title = "Regierung senkt Wachstumsprognose", date = "2014-11-04", date_text = "4. November 2014",
      source = "Reuters" },
    { "Die Bundesregierung hat", "internationale Krisen." }, { "BERLIN", "(Reuters)" } },
  { "dateline_tr_aa.txt",
    { title = "Başkentte su kesintisi uyarısı", source = "AA", lang = "tr" },
    { "Büyükşehir belediyesi", "depolamaları tavsiye edildi." }, { "ANKARA", "(AA)", "Fotoğraf" } },
  { "dateline_en_ap.txt",
    { title = "Wildfire forces evacuation of mountain villages", source = "AP" },
    { "Firefighters battled", "at first light." }, { "ATHENS", "(AP)", "Telif", "Image caption", "Kastritsi" } },
  { "dateline_ru_tass.txt",
    { title = "В Петербурге завершился книжный фестиваль", source = "ТАСС", lang = "ru" },
    { "Международный книжный фестиваль", "программа будет расширена." },
    { "САНКТ-ПЕТЕРБУРГ", "(ТАСС)", "Фото", "Теги" } },
  { "dateline_tr_aa_closing.txt",
    { title = "Kıyı şeridinde temizlik kampanyası başladı", date = "2019-03-12", date_text = "12.03.2019",
      source = "AA", lang = "tr" },
    { "Belediye ekipleri", "tekrarlanacağı bildirildi." }, { "(AA", "12.03.2019" } },
  -- datelines without a year: the agency, but no date unless ingest has a ref
  { "dateline_en_reuters_noyear.txt",
    { title = "Port strike delays grain shipments", source = "Reuters", lang = "en" },
    { "A strike by crane operators", "later this week." }, { "ROTTERDAM", "(Reuters)", "March 3" } },
  { "dateline_ru_ria_noyear.txt",
    { title = "В Казани открылся новый мост", source = "РИА Новости", lang = "ru" },
    { "Новый мост через реку", "чем планировалось." }, { "КАЗАНЬ", "(РИА Новости)", "12 марта" } },
  { "dateline_tr_dha_noyear.txt",
    { title = "Sağanak yağış ulaşımı aksattı", source = "DHA", lang = "tr" },
    { "Sabah saatlerinde başlayan", "süreceğini açıkladı." }, { "İZMİR", "(DHA)", "5 Kasım" } },
  { "dateline_de_kna_ref.txt",
    { title = "Kirchentag endet mit Gottesdienst", source = "KNA", lang = "de" },
    { "Mit einem Gottesdienst", "an fünf Tagen." }, { "HAMBURG", "(KNA)", "7. Juni" } },
  -- topic labels, a bracketed photo line, a source footer: one story
  { "topics_tr_page.txt",
    { title = "Merkez Bankası faiz kararını açıkladı", date = "2019-06-12T14:02", source = "Al Jazeera, AA" },
    { "politika faizini yüzde 24", "beklentileriyle uyumlu olduğunu değerlendirdi." },
    { "Avrupa", "Türkiye\n", "Fotoğraf", "Konular", "Kaynak" } },
  { "topics_de_page.txt",
    { title = "Landtag beschließt Schulreform", date = "2021-03-14T18:37", date_text = "14.03.2021, 18.37 Uhr",
      source = "dpa", lang = "de" },
    { "Der Landtag hat am Mittwoch", "mehr Geld für Schulbauten gefordert." },
    { "Stadtblatt", "Politik\n", "Foto:", "Quelle:", "Themen:" } },
  { "topics_ru_page.txt",
    { title = "Порт увеличил грузооборот", date = "2020-03-12T14:20", date_text = "12 марта 2020, 14:20",
      source = "Интерфакс", lang = "ru" },
    { "Грузооборот морского порта", "до конца года." },
    { "Городские новости", "Экономика\n", "Фото:", "Источник:", "Теги:" } },
  { "page_en_topics.html",
    { title = "Ministers meet on grain corridor", date = "2019-11-18", source = "Reuters" },
    { "Foreign ministers", "“constructive”", "using the route." },
    { "Politics", "Europe\n", "cargo ship", "Primary Topic", "not text", "color:red", "World Daily" } },
  -- plain pages whose title line ends in "..." or "."
  { "plain_de_title_dots.txt",
    { title = "Wahl in Graz: Ergebnis bleibt knapp...", date = "2016-09-26", source = "APA" },
    { "Nach Auszählung aller Stimmen", "bis Mittwoch fallen." }, { "(APA", "knapp..." } },
  { "plain_en_title_period.txt",
    { title = "Library extends opening hours.", source = "Reuters" },
    { "The central library", "cover the extra hours." }, { "Source:", "Library extends" } },
  -- plain text that merely mentions '<' and '&'
  { "plain_en_mentions.txt",
    { title = "Retail sales beat forecasts" },
    { "Marks & Spencer", "a reading of < 1% had been expected & that", "R&D-heavy" }, {} },
}

for _, c in ipairs(cases) do
  local name, want, keep, gone = c[1], c[2], c[3], c[4]
  local db = nd.open()
  local st = db:ingest(D .. name)
  T.eq({ st.added, st.rejected }, { 1, 0 }, name .. ": one story")
  local a
  for x in db:articles() do a = a or x end
  if a then
    for k, v in pairs(want) do T.eq(a[k], v, name .. ": " .. k) end
    for _, k in ipairs({ "source", "author", "date", "url" }) do
      if want[k] == nil then T.eq(a[k], nil, name .. ": no " .. k) end
    end
    for _, s in ipairs(keep) do T.ok(has(a.body, s), name .. ": the body keeps '" .. s .. "'") end
    for _, s in ipairs(gone) do T.ok(not has(a.body, s), name .. ": '" .. s:gsub("\n", "") .. "' left the body") end
    T.eq(a.raw, slurp(D .. name), name .. ": raw is the file byte for byte")
    if name ~= "plain_en_mentions.txt" then clean(name, a) end
  end
  db:close()
end

-- ---- a dateline without a year takes it from ingest's ref ---------------------
do
  local want = {
    ["dateline_en_reuters_noyear.txt"] = { "2019-03-03", "March 3" },
    ["dateline_ru_ria_noyear.txt"] = { "2019-03-12", "12 марта" },
    ["dateline_tr_dha_noyear.txt"] = { "2018-11-05", "5 Kasım" },     -- the nearest 5 November
    ["dateline_de_kna_ref.txt"] = { "2019-06-07", "7. Juni" },
    ["dateline_de_reuters.txt"] = { "2014-11-04", "4. November 2014" }, -- a year given wins
  }
  local paths = {}
  for name in pairs(want) do paths[#paths + 1] = D .. name end
  table.sort(paths)
  local db = nd.open()
  local st = db:ingest(paths, { ref = "2019-06-01" })
  T.eq(st.added, 5, "ref: five stories")
  local seen = 0
  for a in db:articles() do
    for n, w in pairs(want) do
      if a.raw == slurp(D .. n) then
        seen = seen + 1
        T.eq({ a.date, a.date_text }, w, n .. ": date resolved against ref 2019-06-01")
      end
    end
  end
  T.eq(seen, 5, "ref: each story found by its raw text")
  db:close()
  local ok, err = pcall(db.ingest, nd.open(), paths, { ref = "soon" })
  T.ok(not ok and tostring(err):find("bad option 'ref' to 'ingest' %(no date in 'soon'%)"),
    "a ref that is no date is an error naming the option")
  -- a crawl record's timestamp line places a year-less date of its body
  local x = nd.ingest._extract("Kurzmeldung\n\nHAMBURG, 7. Juni (KNA) - Der Kirchentag ist zu Ende.\n",
                               { ref = { year = 2021, month = 8, day = 1 } })
  T.eq(x[1] and { x[1].date, x[1].source }, { "2021-06-07", "KNA" }, "_extract takes ref as a table too")
end

-- ---- an agency an analyst adds in a rules file is picked up -------------------
do
  local text = "Belediye meclisi toplandı\n\n" ..
               "KONYA (Meram Haber) - Belediye meclisi yeni bütçeyi oy birliğiyle kabul etti.\n\n" ..
               "Bütçe gelecek ay yürürlüğe girecek.\n"
  local before = nd.ingest._extract(text)[1]
  T.eq(before and before.source, nil, "an agency no rules file lists makes no dateline")
  T.ok(before and has(before.body, "KONYA (Meram Haber) -"), "and the line stays in the body")
  local path = os.tmpname() .. ".lua"
  local f = assert(io.open(path, "w"))
  f:write('return { agency = { exact = { "Meram Haber" } } }\n')
  f:close()
  local after = nd.ingest._extract(text, { boilerplate = { "tr", path } })[1]
  T.eq(after and after.source, "Meram Haber", "an agency added in a rules file is the dateline's source")
  T.eq(after and after.body:sub(1, 8), "Belediye", "and the dateline left the body")
  local f2 = assert(io.open(path, "w"))
  f2:write('return { dateline = { prefix = { "PLACE -" } } }\n')
  f2:close()
  local ok, err = pcall(nd.ingest._extract, text, { boilerplate = path })
  T.ok(not ok and tostring(err):find("dateline.prefix%[1%] 'PLACE %-'"), "a shape without AGENCY is an error naming it")
  os.remove(path)
end

-- ---- records whose fields hold HTML -------------------------------------------
do
  local db = nd.open()
  local st = db:ingest({ D .. "feed_html.jsonl", D .. "feed_html.csv" })
  T.eq({ st.added, st.rejected }, { 5, 0 }, "feeds: three JSON lines and two CSV records")
  local by = {}
  for a in db:articles() do by[a.title] = a end
  local tr = by["Liman’da yeni dönem"]
  T.ok(tr ~= nil, "jsonl: a title's &#146; and &ouml; decode")
  if tr then
    T.eq({ tr.body, tr.source, tr.date, tr.url },
      { "Limanda yeni vinçler hizmete girdi ve yükleme süresi kısaldı.", "AA", "2019-05-02", "https://example.com.tr/liman" },
      "jsonl: dateline, caption and tags leave the HTML body; the dateline gives the source")
  end
  local de = by["Festival & Konzert am Wochenende"]
  T.eq(de and de.body, "Das Stadtfest beginnt am Freitag mit einem Konzert auf dem Marktplatz.",
    "jsonl: a photo credit leaves the body")
  T.eq(de and de.source, "Stadtblatt", "jsonl: the record's own source wins")
  local plain = by["Profits & prices"]
  T.eq(plain and plain.body, "Profits rose 4% while costs stayed < 2%, the company said.",
    "jsonl: a plain body that mentions '<' stays as it is")
  local ru = by["Мэрия «обновит» парки"]
  T.eq(ru and { ru.body, ru.source } or nil, { "Мэрия обновит десять парков до конца лета.", "ТАСС" },
    "csv: &laquo; in a title, HTML body cleaned, 'Источник:' gives the source")
  local en = by["Parks get new benches"]
  T.eq(en and en.body, "The parks department installed 200 new benches across the city.", "csv: a photo line leaves the body")
end

-- ---- a crawl record is one story, however many headings its markup has ------
do
  local db = nd.open()
  local st = db:ingest({ D .. "crawl_tr_full.txt", D .. "crawl_de_full.txt", D .. "crawl_ru_full.txt" })
  T.eq(st.added, 3, "three crawl records with nested markup and repeated titles: three articles")
  for a in db:articles() do
    T.ok(a.source ~= "Avrupa" and a.source ~= "Politik" and a.source ~= "Экономика",
      "a topic label is never the source (" .. a.title .. ")")
  end
end

T.done()
