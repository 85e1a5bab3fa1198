-- db:ingest on sample files written for the tests (tests/data/ingest):
-- page dumps in Turkish, English, German and Russian, JSON Lines, CSV, HTML,
-- legacy and UTF-16 encodings, broken input, batches, progress, rules.
local T = dofile("tests/lua/harness.lua")
local nd = require("newsdesk")
local D = "tests/data/ingest/"

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function all(db)
  local list = {}
  for a in db:articles({ order = "date" }) do list[#list + 1] = a end
  return list
end

local function by_title(db, title)
  for a in db:articles() do if a.title == title then return a end end
end

local function has(s, needle) return s ~= nil and s:find(needle, 1, true) ~= nil end

-- ---- Turkish page dump: two articles on one cut page ----------------------
do
  local db = nd.open()
  local st = db:ingest(D .. "page_tr.txt")
  T.eq({ st.files, st.added, st.rejected, #st.errors }, { 1, 2, 0, 0 }, "page_tr: one file, two articles")
  local a = by_title(db, "Karadeniz'de fırtına uyarısı: Limanlarda seferler durduruldu")
  local b = by_title(db, "İstanbul'da yeni metro hattı yolcu taşımaya başladı")
  T.ok(a and b, "page_tr: both titles found")
  if a and b then
    T.eq(a.date, "2024-03-12T09:15", "page_tr: first date from '12.03.2024, Sal - 09:15'")
    T.eq(a.date_text, "12.03.2024, Sal - 09:15", "page_tr: date_text as found")
    T.eq(a.source, "Anadolu Ajansı", "page_tr: agency line is the source")
    T.eq(a.author, "Selin Aydoğan", "page_tr: the name in the footer is the author")
    T.eq(a.lang, "tr", "page_tr: language detected")
    T.ok(has(a.body, "Meteoroloji Genel Müdürlüğü") and has(a.body, "etkisini yitirmesinin"),
      "page_tr: body holds the lede and the last paragraph")
    for _, chrome in ipairs({ "Haberi Paylaş", "Devamını oku", "toplam:", "Güncellenme",
                              "yorum", "Selin", "Anadolu", "12.03.2024", "xMart" }) do
      T.ok(not has(a.body, chrome), "page_tr: no '" .. chrome .. "' in the first body")
    end
    T.eq(select(2, a.body:gsub("Limanlarda seferler", "")), 0, "page_tr: the repeated title is not in the body")
    T.eq(b.date, "2024-03-13", "page_tr: second date from the glued 'xMart 13, 2024'")
    T.eq(b.source, "Günün Manşeti", "page_tr: second source is the site name")
    for _, chrome in ipairs({ "Devamını oku", "Telif hakkı", "READ", "Ekonomiden spora", "Günün" }) do
      T.ok(not has(b.body, chrome), "page_tr: no '" .. chrome .. "' in the second body")
    end
    T.ok(has(b.body, "ikinci etabının"), "page_tr: the paragraph after the photo caption stays")
    T.eq(a.raw .. b.raw, slurp(D .. "page_tr.txt"), "page_tr: raw slices put together are the file exactly")
    T.eq(a.meta.file, D .. "page_tr.txt", "page_tr: meta names the file")
  end
  -- the same story republished: other chrome is an exact duplicate, a small
  -- edit a near-duplicate pointing at the first
  local rp = db:ingest(D .. "republished/chrome_only.txt")
  T.eq({ rp.added, rp.duplicates }, { 0, 1 }, "republished with other chrome and counters: an exact duplicate")
  rp = db:ingest(D .. "republished/small_edit.txt")
  T.eq({ rp.added, rp.near_duplicates }, { 1, 1 }, "republished with a small edit: a near-duplicate")
  local nd_ = by_title(db, "Karadeniz'de fırtına uyarısı: Limanlarda seferler durduruldu")
  local copies = {}
  for x in db:articles() do if x.title == a.title then copies[#copies + 1] = x end end
  T.eq(#copies, 2, "the near-duplicate is stored")
  T.eq(copies[2] and copies[2].duplicate_of, copies[1] and copies[1].id, "duplicate_of points at the first one seen")
  T.ok(nd_ ~= nil, "titles still found")
  db:delete(copies[2].id)
  -- re-running the same ingest adds nothing
  local again = db:ingest(D .. "page_tr.txt")
  T.eq({ again.added, again.duplicates }, { 0, 2 }, "page_tr: a second ingest adds nothing")
  T.eq(db:count(), 2, "page_tr: still two articles")
end

-- ---- English and German pages ---------------------------------------------
do
  local db = nd.open()
  local st = db:ingest({ D .. "page_en.txt", D .. "page_de.txt" })
  T.eq(st.added, 2, "en+de: two articles from a list of paths")
  local en = by_title(db, "Flood defences hold as river reaches record level")
  local de = by_title(db, "Neue Radwege sollen Innenstadt entlasten")
  T.ok(en and de, "en+de: titles")
  if en and de then
    T.eq({ en.date, en.author, en.lang }, { "2024-11-18", "Jane Holloway", "en" }, "en: date, author from 'By', lang")
    T.eq(en.meta.updated, "2024-11-19T10:05", "en: the update time goes to meta, not to date")
    for _, chrome in ipairs({ "Share this", "Image caption", "READ MORE", "views", "Comments",
                              "Related articles", "How flood walls", "World Daily Wire", "November" }) do
      T.ok(not has(en.body, chrome), "en: no '" .. chrome .. "' in the body")
    end
    T.ok(has(en.body, '"We were ready this time,"'), "en: quoted paragraph kept")
    T.eq({ de.date, de.author, de.source, de.lang }, { "2024-11-18T10:30", "Anna Berger", "dpa", "de" },
      "de: date with 'Uhr', author from 'Von', agency, lang")
    for _, chrome in ipairs({ "Artikel teilen", "Foto:", "Mehr zum Thema", "Aktualisiert", "Kommentare" }) do
      T.ok(not has(de.body, chrome), "de: no '" .. chrome .. "' in the body")
    end
  end
end

-- ---- encodings ---------------------------------------------------------------
do
  local db = nd.open()
  local st = db:ingest({ D .. "page_cp1254.txt", D .. "page_utf16.txt", D .. "page_bom.txt" })
  T.eq({ st.added, st.repaired, st.rejected }, { 3, 0, 0 }, "encodings: three pages, nothing repaired")
  local cp = by_title(db, "Gece yarısı açıklanan kararla sınav tarihleri değişti")
  T.ok(cp and has(cp.body, "Öğrenciler ve veliler"), "Windows-1254 page detected and converted")
  T.eq(cp and cp.date, "2024-03-23T00:10", "Windows-1254 page date")
  local ru = by_title(db, "Стадион откроют к лету")
  T.ok(ru and has(ru.body, "Строители"), "UTF-16LE page with BOM converted")
  T.eq(ru and ru.date, "2024-11-18", "Russian month-name date")
  local bom = by_title(db, "Köprüde trafik düzenlemesi")
  T.ok(bom ~= nil, "UTF-8 BOM dropped from the title")
  local st2 = db:ingest(D .. "page_cp1254.txt", { encoding = "iso-8859-9" })
  T.eq({ st2.added, st2.duplicates }, { 0, 1 }, "encoding= gives the same article: a duplicate")
  T.eq(select(3, db:ingest(D .. "page_bom.txt", { encoding = "klingon" })), "invalid", "unknown encoding is refused")
end

-- ---- invalid UTF-8: repaired, or rejected under strict ---------------------
do
  local db = nd.open()
  local st = db:ingest(D .. "page_badutf8.txt", { strict = true })
  T.eq({ st.added, st.rejected, #st.errors }, { 0, 1, 1 }, "strict: the page is rejected")
  T.eq(st.errors[1].file, D .. "page_badutf8.txt", "strict: the error names the file")
  T.ok(has(st.errors[1].message, "invalid UTF-8 at byte 105"), "strict: and the byte offset")
  T.eq(st.errors[1].line, nil, "strict: no line for a problem with the whole page")
  st = db:ingest(D .. "page_badutf8.txt")
  T.eq({ st.added, st.repaired }, { 1, 1 }, "default: repaired and counted")
  local a = all(db)[1]
  T.ok(a and has(a.body, "\u{FFFD}"), "the bad bytes became U+FFFD")
end

-- ---- invalid UTF-8 and legacy encodings in streamed records -------------------
do
  for _, c in ipairs({
    { "badutf8.jsonl", 2, 135, "İkinci satır", "bayt var: \u{FFFD} burada." },
    { "badutf8.csv", 3, 66, "Bozuk kayıt", "Bu kayıtta \u{FFFD} bozuk bayt var,\nve iki" },  -- a two-line record
  }) do
    local file, line, byte, title, repaired = table.unpack(c)
    local db = nd.open()
    local st = db:ingest(D .. file, { strict = true })
    T.eq({ st.added, st.rejected }, { 2, 1 }, file .. " strict: the bad record is rejected, the others go in")
    T.eq(st.errors[1] and st.errors[1].line, line, file .. " strict: error on the record's first line")
    T.ok(st.errors[1] and has(st.errors[1].message, "byte " .. byte), file .. " strict: byte offset into the file")
    st = db:ingest(D .. file)
    T.eq({ st.added, st.repaired }, { 1, 1 }, file .. ": the bad record repaired and stored")
    local a = by_title(db, title)
    T.ok(a and has(a.body, repaired), file .. ": U+FFFD where the bad byte was")
  end
  local db = nd.open()
  local st = db:ingest(D .. "feed_cp1254.csv")
  T.eq({ st.added, st.rejected }, { 2, 0 }, "cp1254 csv: converted while streaming")
  local c = by_title(db, "Çiftçiler hasada başladı")
  T.ok(c and has(c.body, "“erken”") and c.date == "2024-06-12", "cp1254 csv: curly quotes, Turkish header names")
end

-- ---- JSON Lines ------------------------------------------------------------
do
  local db = nd.open()
  local st = db:ingest(D .. "feed.jsonl")
  T.eq({ st.added, st.rejected }, { 5, 2 }, "jsonl: five articles in, two lines rejected")
  T.eq(#st.errors, 2, "jsonl: two errors")
  T.eq({ st.errors[1].line, st.errors[2].line }, { 5, 7 }, "jsonl: errors name lines 5 and 7")
  T.ok(has(st.errors[1].message, "JSON") and st.errors[1].file == D .. "feed.jsonl", "jsonl: message and file")
  local k = by_title(db, "Ankara'da kar yağışı etkili oldu")
  T.ok(k ~= nil, "jsonl: &apos; decoded in the title")
  if k then
    T.eq(k.body, "Başkentte gece başlayan kar yağışı sabah saatlerinde de sürdü.\n\nBelediye ekipleri ana caddelerde tuzlama çalışması yaptı.",
      "jsonl: HTML body turned into paragraphs")
    T.eq({ k.date, k.url, k.source, k.lang }, { "2024-01-15T07:30:00+03:00", "https://example.org/tr/kar", "Yerel Haber", "tr" },
      "jsonl: date with offset, url, source, lang")
    T.eq(k.meta.category, "hava", "jsonl: other fields go to meta")
    T.ok(has(k.raw, '"category": "hava"'), "jsonl: raw is the line as read")
  end
  local m = by_title(db, "Museum reopens after two-year renovation")
  T.ok(m and not has(m.body, "track()") and m.author == "Tom Reed" and m.source == "Example Times",
    "jsonl: headline/content/site names; script dropped")
  T.eq(m and m.date, "2024-03-16T09:00:00Z", "jsonl: RSS pubDate")
  T.eq(m and m.meta.tags, { "culture", "city" }, "jsonl: array field kept in meta")
  local g = by_title(db, "Bauarbeiten an der Brücke beginnen")
  T.eq(g and g.lang, "de", "jsonl: language 'de-DE' becomes 'de'")
  T.eq(g and g.meta.description, "Kurzfassung: Brücke gesperrt", "jsonl: description goes to meta when text is there")
  local f = by_title(db, "Festival programme announced")
  T.ok(f and has(f.body, "stages – with") and has(f.body, "April"), "jsonl: description as body, numeric references decoded")
  local s = by_title(db, "Kısa haber")
  T.ok(s and has(s.body, "çalışmaları tamamlandı\u{A0}ve"), "jsonl: &ccedil; and &nbsp; (U+00A0) decoded")
end

-- ---- encoding detection: a stray multi-byte error does not make UTF-8 legacy ----
do
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "wb"))
  f:write("Sözcü açıkladı: \xed\xa0\xbd\xed\xb8\x80 bugün toplantı var.\n")
  f:close()
  local db = nd.open()
  local st = db:ingest(tmp, { format = "page" })
  os.remove(tmp)
  local a = db:get(1)
  T.ok(a and has(a.body, "Sözcü açıkladı") and has(a.body, "\u{FFFD}"),
    "detection: UTF-8 text with one stray 6-byte error stays UTF-8, the error repaired")
  T.eq(st.repaired, 1, "detection: ... and the repair is counted")
end

-- ---- CSV ---------------------------------------------------------------------
do
  local db = nd.open()
  local st = db:ingest(D .. "feed.csv")
  T.eq({ st.added, st.rejected }, { 3, 0 }, "csv: three rows")
  local p = by_title(db, "İzmir'de yeni park açıldı")
  T.ok(p and has(p.body, '"yeşil koridor"'), "csv: doubled quotes inside quotes")
  T.eq(p and p.meta.section, "kent", "csv: unknown column to meta")
  T.eq(p and p.date, "2024-04-05", "csv: day-first date")
  local r = by_title(db, "Rail strike called off")
  T.ok(r and has(r.body, "Thursday.\nServices"), "csv: line break inside a quoted field")
  st = db:ingest(D .. "broken.csv")
  T.eq({ st.added, st.rejected }, { 2, 2 }, "broken csv: good rows in, bad rows out")
  -- a NUL byte in a column name: the rows still go in, the key reads U+FFFD
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "wb"))
  f:write("title,body,bö\0lüm\nNul başlık bir,Birinci gövde metni,ekonomi\nNul başlık iki,İkinci gövde metni,spor\n")
  f:close()
  local db2 = nd.open()
  local st2 = db2:ingest(tmp, { format = "csv" })
  os.remove(tmp)
  T.eq({ st2.added, st2.rejected, #st2.errors }, { 2, 0, 0 }, "csv: a NUL in a column name stops nothing")
  local n = by_title(db2, "Nul başlık iki")
  T.eq(n and n.meta["bö\u{FFFD}lüm"], "spor", "csv: ... and its column is kept in meta under U+FFFD")
  T.eq({ st.errors[1].line, st.errors[2].line }, { 3, 4 }, "broken csv: lines 3 and 4 reported")
  T.ok(has(st.errors[1].message, "quote"), "broken csv: the message says what is wrong")
end

-- ---- TSV ---------------------------------------------------------------------
-- feed.tsv: a header row (Turkish names), escaped tabs and line breaks, a
-- backslash that escapes nothing, a blank line, a CR LF line end, and two
-- lines with the wrong number of fields (5 and 7)
do
  local db = nd.open()
  local st = db:ingest(D .. "feed.tsv")
  T.eq({ st.added, st.rejected }, { 3, 2 }, "tsv: three records in, two bad lines out")
  local k = by_title(db, "Kuzey Kore füze denedi")
  T.eq(k and k.body, "Seul'den açıklama geldi.\n\nİkinci paragraf: \"sekme\there\" burada.",
    "tsv: \\n and \\t in a field are a line break and a tab")
  T.eq(k and { k.date, k.source, k.meta["bölüm"] }, { "2024-11-05", "AA", "dünya" },
    "tsv: header names give the roles (tarih, kaynak); another column goes to meta")
  local w = by_title(db, "Windows path kept")
  T.eq(w and w.body, "The file C:\\data\\files is named; a backslash \\ stays one.",
    "tsv: a backslash before another byte stays; \\\\ is one backslash")
  T.eq(w and w.date, "2024-11-05", "tsv: day-first date")
  local c = by_title(db, "Trailing CR line")
  T.eq(c and c.body, "A body ending in CR LF.", "tsv: a CR LF line end is cut off")
  T.eq({ #st.errors, st.errors[1] and st.errors[1].line, st.errors[2] and st.errors[2].line }, { 2, 5, 7 },
    "tsv: each bad line is reported at its line number")
  T.ok(st.errors[1] and st.errors[1].file:match("feed%.tsv$") and
       has(st.errors[1].message, "2 fields where the header has 5"),
    "tsv: the error names the file and what is wrong: " .. tostring(st.errors[1] and st.errors[1].message))
  -- the format by name, on a file whose extension says nothing
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "wb"))
  f:write("title\tbody\nAdlı biçim\tGövde metni burada.\n")
  f:close()
  local db2 = nd.open()
  local st2 = db2:ingest(tmp, { format = "tsv" })
  os.remove(tmp)
  T.eq({ st2.added, st2.rejected }, { 1, 0 }, "tsv: format = 'tsv' reads any file as TSV")
  T.ok(by_title(db2, "Adlı biçim"), "tsv: ... with its title from the header")
  local none, msg = db2:ingest(D .. "feed.tsv", { format = "xlsx" })
  T.ok(none == nil and has(msg, "unknown format 'xlsx' (jsonl, csv, tsv, html or page)"),
    "an unknown format fails the call, naming the formats: " .. tostring(msg))
end

-- ---- HTML page --------------------------------------------------------------
do
  local db = nd.open()
  db:ingest(D .. "fragment.html")
  local h = all(db)[1]
  T.eq(h and h.title, "Valiler toplantısında güvenlik ele alındı", "html: entity in the title decoded")
  T.eq(h and h.date, "2024-03-22T11:20", "html: date line")
  T.ok(h and has(h.body, "İçişleri Bakanlığı'nın") and has(h.body, "& yerel"), "html: body text, entities decoded")
  T.ok(h and not has(h.body, "not text") and not has(h.body, "Paylaş") and not has(h.body, "color"),
    "html: no script, style or share button")
  T.ok(h and has(h.raw, "<h1>"), "html: raw keeps the markup")
end

-- ---- folders, globs, re-runs -------------------------------------------------
do
  local db = nd.open()
  local st = db:ingest(D)
  T.eq(st.files, 17, "folder: every sample file read, subfolders too")   -- feed.tsv is the 17th
  local n = db:count()
  T.eq(st.added, n, "folder: added counts the stored articles")
  local again = db:ingest(D)
  T.eq({ again.added, db:count() }, { 0, n }, "folder: re-running adds nothing")
  local g = nd.open():ingest(D .. "page_*.txt")
  T.eq(g.files, 7, "glob: seven page files")
  local nilv, msg, code = db:ingest(D .. "no-such-file.txt")
  T.ok(nilv == nil and has(msg, "no-such-file.txt") and code == "notfound", "a missing path fails with its name")
end

-- ---- limits, batches, progress -------------------------------------------------
do
  local db = nd.open()
  local st = db:ingest(D .. "page_tr.txt", { max_bytes = 1000 })
  T.eq({ st.added, st.rejected }, { 0, 1 }, "max_bytes: the page is rejected")
  T.ok(has(st.errors[1].message, "max_bytes") and st.errors[1].file == D .. "page_tr.txt",
    "max_bytes: a clear message naming the file")
  st = db:ingest(D .. "feed.jsonl", { max_bytes = 300 })
  T.eq(st.added, 3, "max_bytes: long JSON lines are skipped, short ones go in")

  local calls, last = 0, nil
  db = nd.open()
  st = db:ingest(D, { batch = 2, progress = function(p) calls = calls + 1; last = p end })
  T.ok(calls >= st.files, "progress: called at least once per file")
  T.ok(last and last.files == st.files and last.articles == st.added + st.duplicates and
       last.bytes == st.bytes and last.total_bytes > 0, "progress: files, articles, bytes, total_bytes")

  -- progress says how much is committed: what would survive a crash now
  local exact, lagging, monotone, prev = true, false, true, 0
  db = nd.open()
  db:ingest(D, { batch = 1, progress = function(p)
    exact = exact and p.committed == p.articles
  end })
  T.ok(exact, "progress: with batch = 1 every report has committed == articles")
  db = nd.open()
  db:ingest(D, { batch = 100000, progress = function(p)
    if p.committed < p.articles then lagging = true end
    if p.committed < prev or p.committed > p.articles then monotone = false end
    prev = p.committed
  end })
  T.ok(lagging, "progress: inside an open batch, committed trails articles")
  T.ok(monotone, "progress: committed never falls back and never passes articles")

  -- closing the store from a progress callback must not free it under the ingest
  db = nd.open()
  local close_err
  st = db:ingest(D, { batch = 1, progress = function()
    if not close_err then
      local okc2, e = pcall(db.close, db)
      close_err = okc2 and "closed" or tostring(e)
    end
  end })
  T.ok(close_err and has(close_err, "while it is in use"), "progress: db:close() inside the ingest raises")
  T.ok(st and st.added > 0 and db:count() == st.added, "progress: the ingest finishes and the store stays usable")
  db:close()
  T.raises(function() db:count() end, "closed store", "the store closes normally afterwards")

  -- a failure mid-ingest leaves every committed batch in place
  db = nd.open()
  local seen = 0
  local okc, err = pcall(db.ingest, db, D, { batch = 1, progress = function(p)
    seen = p.articles
    if p.articles >= 3 then error("boom") end
  end })
  T.ok(not okc and has(tostring(err), "boom"), "progress: its error reaches the caller")
  T.eq(db:count(), seen, "batches committed before the failure are all there")
  -- a process that dies mid-ingest (no rollback, no close) leaves a store
  -- holding every committed batch
  do
    local build = os.getenv("BUILD") or "build"
    local dbfile, script = os.tmpname(), os.tmpname()
    os.remove(dbfile)
    local f = assert(io.open(script, "w"))
    f:write(string.format([[
local db = newsdesk.open(%q)
db:ingest(%q, { batch = 2, progress = function(p)
  if p.articles >= 4 then os.exit(9, false) end
end })
]], dbfile, D))
    f:close()
    local okx, how, code = os.execute(build .. "/newsdesk run " .. script .. " 2>/dev/null")
    T.eq({ how, code }, { "exit", 9 }, "crash: the ingest process died mid-way")
    local after = nd.open(dbfile)
    T.eq(after:count(), 4, "crash: the two committed batches are in the store, nothing else")
    after:ingest(D)
    local fresh = nd.open()
    fresh:ingest(D)
    T.eq(after:count(), fresh:count(), "crash: re-running completes the store, no article twice")
    after:close()
    for _, sfx in ipairs({ "", "-wal", "-shm" }) do os.remove(dbfile .. sfx) end
    os.remove(script)
  end

  -- inside the caller's transaction, ingest leaves committing to the caller
  db = nd.open()
  pcall(db.transaction, db, function()
    db:ingest(D .. "page_tr.txt", { batch = 1 })
    error("caller gives up")
  end)
  T.eq(db:count(), 0, "inside db:transaction, a rollback takes the ingested articles back")
  db:transaction(function() db:ingest(D .. "page_tr.txt", { batch = 1 }) end)
  T.eq(db:count(), 2, "inside db:transaction, the commit keeps them")
  db = nd.open()
  local nilv, msg = db:ingest(D, { progress = function() return false end })
  T.ok(nilv == nil and msg == "interrupted", "progress returning false stops the ingest")
end

-- ---- boilerplate rules are data --------------------------------------------------
do
  T.ok(nd.ingest._rules("tr") > 20 and nd.ingest._rules("en") > 20, "built-in tr and en rule files load")
  local page = slurp(D .. "page_tr.txt")
  local bare = nd.ingest._extract(page, { boilerplate = false })
  T.ok(has(bare[1].body, "Devamını oku"), "without rules a related-link line stays in the body")
  local own = nd.ingest._extract(page, { boilerplate = { drop = { prefix = { "Devamını oku" } } } })
  T.ok(not has(own[1].body, "Devamını oku"), "a rule table passed in removes it")
  local path = os.tmpname()
  local f = assert(io.open(path .. ".lua", "w"))
  f:write('return { drop = { contains = { "feribot" } }, source = { exact = { "Anadolu Ajansı" } } }\n')
  f:close()
  local fromfile = nd.ingest._extract(page, { boilerplate = { "tr", path .. ".lua" } })
  T.ok(not has(fromfile[1].body, "feribot"), "a rule file from disk, combined with the built-in one")
  os.remove(path .. ".lua")
  os.remove(path)
  T.raises(function() nd.ingest._rules({ dorp = { exact = { "x" } } }) end, "unknown kind 'dorp'",
    "a misspelt kind raises")
  T.raises(function() nd.ingest._rules({ drop = { exakt = { "x" } } }) end, "unknown match 'exakt'",
    "a misspelt match raises")
  T.raises(function() nd.open():ingest(42) end, "path or list of paths", "a bad path argument raises")
end

-- ---- standard input ---------------------------------------------------------------
do
  local build = os.getenv("BUILD") or "build"
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write('local st = newsdesk.open():ingest("-") print(st.added, st.rejected)\n')
  f:close()
  local p = io.popen(build .. "/newsdesk run " .. script .. " < " .. D .. "feed.jsonl")
  local out = p:read("a")
  p:close()
  os.remove(script)
  T.eq(out, "5\t2\n", "'-' reads standard input (JSON Lines sniffed)")
end

-- ---- files that are no input: named, counted once ------------------------------------
do
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir))
  local function put(name, bytes)
    local f = assert(io.open(dir .. "/" .. name, "wb"))
    f:write(bytes)
    f:close()
  end
  put("pic.png", "\137PNG\r\n\26\n\0\0\0\rIHDR\0\0\0\1")
  put("notes.txt", "Ankara'da toplantı\n\nDışişleri Bakanı Fidan bugün Ankara'da konuştu.\n")
  put("blob.bin", string.rep("\0\1\2\3\200\201", 500))
  put("empty.txt", " \n\n")
  local db = nd.open()
  local st = db:ingest(dir)
  T.eq({ st.files, st.added, st.skipped, st.rejected }, { 2, 1, 2, 1 },
    "a folder: the text file is added, the empty one rejected, the image and the binary file skipped")
  T.ok(#st.errors == 1 and st.errors[1].file:match("empty%.txt$") and st.errors[1].message == "no text in it: not ingested",
    "each file read counts once: the empty file is rejected with why")
  local named = {}
  for _, e in ipairs(st.skipped_files) do named[#named + 1] = e.file:match("[^/]+$") .. ": " .. e.message end
  -- the list of formats comes from ingest's format table (TSV joined it)
  T.eq(named, { "blob.bin: skipped: .bin is no format newsdesk reads (JSON Lines, CSV, TSV, HTML, text)",
                "pic.png: skipped: .png is no format newsdesk reads (JSON Lines, CSV, TSV, HTML, text)" },
    "every skipped file is named, with why")
  st = db:ingest(dir .. "/blob.bin")
  T.eq({ st.files, st.rejected, st.repaired, st.added }, { 1, 1, 0, 0 },
    "a binary file named on its own is rejected, and not counted as repaired too")
  db:close()
  os.remove(dir .. "/empty.txt")
  local build = os.getenv("BUILD") or "build"
  local p = io.popen(build .. "/newsdesk --db :memory: --quiet ingest " .. dir .. " 2>&1; echo \"exit $?\"")
  local out = p:read("a")
  p:close()
  T.ok(out:find("pic.png: skipped", 1, true) and out:find("skipped%s+2") and out:find("exit 0\n", 1, true),
    "newsdesk ingest names the skipped files and exits 0 (skipping is no problem): " .. out)
  os.execute("rm -rf " .. dir)
end

T.done()
