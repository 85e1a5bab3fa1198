-- The store from Lua: add/get/delete/count, queries, lazy fields, meta,
-- transactions, db:sql, mentions, read-only and closed handles, injection.
local T = dofile("tests/lua/harness.lua")

T.ok(newsdesk.open == newsdesk.store.open, "newsdesk.open is the store module's open")
local db = newsdesk.open()
T.eq(tostring(db):match("^newsdesk.store"), "newsdesk.store", "tostring names the store")

local function art(i, t)
  t = t or {}
  t.title = t.title or ("Haber başlığı " .. i)
  t.body = t.body or ("Bu, " .. i .. " numaralı örnek haberin gövdesidir. Ekonomi ve siyaset "
    .. "gündemine ilişkin ayrıntılar metnin devamında yer alıyor: sayı " .. i * 7919 .. ".")
  return t
end

-- add / get
local id, is_new, status = db:add(art(1, { source = "ajans-a", date = "2024-11-04T23:58:00+03:00",
  date_text = "04.11.2024, Pts - 23:58", author = "Ayşe Yılmaz", url = "https://example.org/1",
  lang = "tr", raw = "RAW\0bytes\255", meta = { tags = { "ekonomi", "siyaset" }, score = 3, ok = true },
  category = "gündem" }))
T.ok(id == 1 and is_new == true and status == "new", "first add is new")
local a = db:get(id)
T.eq(a.id, id, "get: id")
T.eq(a.title, "Haber başlığı 1", "get: title")
T.eq(a.source, "ajans-a", "get: source")
T.eq(a.date, "2024-11-04T23:58:00+03:00", "get: date")
T.eq(a.date_text, "04.11.2024, Pts - 23:58", "get: date_text")
T.eq(a.author, "Ayşe Yılmaz", "get: author")
T.eq(a.url, "https://example.org/1", "get: url")
T.eq(a.lang, "tr", "get: lang")
T.eq(a.raw, "RAW\0bytes\255", "raw keeps any bytes exactly")
T.eq(a.meta, { tags = { "ekonomi", "siyaset" }, score = 3, ok = true, category = "gündem" },
  "meta round-trips, extra fields included")
T.ok(type(a.hash) == "string" and a.hash:match("^%x+$") and #a.hash == 16, "hash is 16 hex digits")
T.eq(a.duplicate_of, nil, "not a duplicate")
T.eq(a.nosuch, nil, "unknown field is nil")
T.raises(function() a.title = "x" end, "read-only", "article fields are read-only")
T.ok(tostring(a):find("Haber başlığı 1", 1, true), "tostring shows the title")
T.ok(db:get(id) == a, "two objects of the same article are equal")
T.eq(db:get(999), nil, "get of a missing id is nil")
T.eq(db:get(id).body, art(1).body, "body")

local id2, new2, st2 = db:add(art(1, { title = "HABER BAŞLIĞI 1", source = "başka" }))
T.ok(id2 == id and new2 == false and st2 == "duplicate", "same folded title+body is a duplicate")
T.eq(db:count(), 1, "duplicate not stored")

local sources = { "ajans-a", "ajans-b", "ajans-c" }
db:transaction(function()
  for i = 2, 30 do
    db:add(art(i, { source = sources[i % 3 + 1], date = string.format("2024-11-%02dT10:00", i % 28 + 1),
      lang = i % 2 == 0 and "tr" or "en" }))
  end
end)
T.eq(db:count(), 30, "30 articles")
-- the same filters computed in Lua over what was added
local model = { { id = 1, source = "ajans-a", date = "2024-11-04T23:58:00+03:00", lang = "tr" } }
for i = 2, 30 do
  model[i] = { id = i, source = sources[i % 3 + 1], date = string.format("2024-11-%02dT10:00", i % 28 + 1),
    lang = i % 2 == 0 and "tr" or "en" }
end
local function expect(pred)
  local n = 0
  for _, m in ipairs(model) do if pred(m) then n = n + 1 end end
  return n
end
T.eq(db:count { source = "ajans-b" }, expect(function(m) return m.source == "ajans-b" end), "count by source")
T.eq(db:count { lang = "en" }, expect(function(m) return m.lang == "en" end), "count by lang")
T.eq(db:count { since = "2024-11-20" }, expect(function(m) return m.date >= "2024-11-20" end), "since is inclusive")
T.eq(db:count { ["until"] = "2024-11-03" }, expect(function(m) return m.date:sub(1, 10) <= "2024-11-03" end),
  "until includes the whole day given")
T.eq(db:count { since = "2024-11-02", ["until"] = "2024-11-02" }, 1, "one day")
T.eq(db:count { source = "ajans-a", lang = "tr", since = "2024-11-10" },
  expect(function(m) return m.source == "ajans-a" and m.lang == "tr" and m.date >= "2024-11-10" end),
  "filters combine")
local got = {}
local want = {}
for _, m in ipairs(model) do if m.source == "ajans-c" then want[#want + 1] = m.date end end
table.sort(want, function(x, y) return x > y end)
for x in db:articles { source = "ajans-c", order = "-date", limit = 3 } do got[#got + 1] = x.date end
T.eq(got, { want[1], want[2], want[3] }, "order -date with limit")
want = {}
for _, m in ipairs(model) do want[#want + 1] = m.date end
table.sort(want)
got = {}
for x in db:articles { order = "date", limit = 2, offset = 1 } do got[#got + 1] = x.date end
T.eq(got, { want[2], want[3] }, "order date with offset")
got = {}
for x in db:articles { ids = { 5, 3, 999 } } do got[#got + 1] = x.id end
T.eq(got, { 3, 5 }, "ids")
got = 0
for _ in db:articles { ids = {} } do got = got + 1 end
T.eq(got, 0, "empty ids selects nothing")
T.raises(function() db:articles { sorce = "x" } end, "unknown query field 'sorce'", "typo in a query field")
T.raises(function() db:articles { order = "size" } end, "bad order", "unknown order")
T.raises(function() db:articles { order = "rank" } end, "needs match", "rank without match")
T.raises(function() db:count { source = 5 } end, "string expected", "source must be a string")

-- lazy fields: metadata is copied while iterating, body only on first access
local kept, touched, titles = {}, nil, {}
for x in db:articles { ids = { 7, 8, 9 } } do
  kept[#kept + 1] = x
  titles[#titles + 1] = x.title
end
T.eq(titles, { "Haber başlığı 7", "Haber başlığı 8", "Haber başlığı 9" }, "metadata read during the loop")
touched = kept[2].body
T.eq(kept[3].title, "Haber başlığı 9", "an article kept past the loop reads its row on first use")
db:delete(7)
db:delete(8)
T.eq(kept[1].id, 7, "the id stays with the object")
T.eq(kept[1].title, nil, "fields not read before the article was deleted are gone")
T.eq(kept[3].title, "Haber başlığı 9", "a row loaded once is kept")
T.eq(kept[1].body, nil, "body not read during iteration (the deleted row has none)")
T.eq(kept[2].body, touched, "a body read once is kept")
T.eq(db:count(), 28, "two deleted")
local ok_, msg, code = db:delete(7)
T.ok(ok_ == nil and code == "notfound" and msg:find("no article"), "deleting a missing article fails politely")

-- break out of a loop, iterators after close
for _ in db:articles() do break end
local it = db:articles()
T.ok(it ~= nil, "iterator")
local f1 = db:articles { order = "-date" }
local _, c2 = db:articles()
local first_id = db:articles()(select(2, db:articles())).id
T.eq(f1(c2).id, first_id, "an iterator steps the cursor it is given")
T.raises(function() f1(42) end, "cursor expected", "an iterator given no cursor raises")
local from_loop = (function()
  local s = newsdesk.open()
  s:add(art(1))
  for x in s:articles() do return x end
end)()
collectgarbage()
collectgarbage()
T.eq(from_loop.body, art(1).body, "an article from a loop keeps its store alive")
T.eq(from_loop.title, art(1).title, "and its metadata once the loop is gone")

-- body and raw read in one loop, in any mix, come from the right article
do
  local s = newsdesk.open()
  for i = 1, 40 do
    local t = art(i)
    if i % 5 ~= 0 then t.raw = "<p>girdi " .. i .. "</p>" end
    s:add(t)
  end
  local seen, right, held = 0, 0, {}
  for x in s:articles() do
    seen = seen + 1
    local i = tonumber(x.title:match("%d+$"))
    local raw_ok = x.raw == (i % 5 ~= 0 and "<p>girdi " .. i .. "</p>" or nil)
    if i % 3 == 0 then                  -- some rows: raw only, body read later
      held[#held + 1] = x
      if raw_ok then right = right + 1 end
    elseif x.body == art(i).body and raw_ok then
      right = right + 1
    end
  end
  T.eq({ seen, right }, { 40, 40 }, "each row's raw and body are its own")
  local later = 0
  for _, x in ipairs(held) do
    if x.body == art(tonumber(x.title:match("%d+$"))).body then later = later + 1 end
  end
  T.eq(later, #held, "bodies first read after the loop moved on are the article's own")
  s:close()
end

-- transactions
local r1, r2 = db:transaction(function(x) db:add(art(100)) return x, "b" end, "a")
T.ok(r1 == "a" and r2 == "b", "transaction passes arguments and returns results")
T.eq(db:count(), 29, "committed")
T.raises(function()
  db:transaction(function() db:add(art(101)); error("stop here") end)
end, "stop here", "the error is re-raised")
T.eq(db:count(), 29, "rolled back")
db:transaction(function()
  db:add(art(102))
  pcall(db.transaction, db, function() db:add(art(103)); error("inner") end)
end)
T.eq(db:count(), 30, "nested transaction rolled back alone")
local e = setmetatable({}, { __tostring = function() return "custom" end })
local okp, err = pcall(db.transaction, db, function() error(e) end)
T.ok(not okp and err == e, "non-string error objects are re-raised as they are")

-- bad input
local n, m, c = db:add { title = "bozuk \xff metin", body = "x" }
T.ok(n == nil and c == "utf8" and m:find("byte 6"), "invalid UTF-8 fails with the byte offset: " .. tostring(m))
T.raises(function() db:add { title = {} } end, "bad field 'title'", "title must be a string")
T.raises(function() db:add { title = "x", meta = { f = print } } end, "bad meta", "functions cannot be stored in meta")
T.raises(function() db:add { title = "x", meta = { 0 / 0 } } end, "bad meta", "NaN cannot be stored")
T.raises(function() db:add "x" end, "table expected", "add needs a table")

-- db:sql
local rows = {}
for row in db:sql("SELECT id, source FROM articles WHERE source = ? AND id < ? ORDER BY id", "ajans-a", 10) do
  rows[#rows + 1] = row
end
T.eq(rows[1], { id = 1, source = "ajans-a" }, "sql rows are tables keyed by column")
T.eq(#rows, expect(function(x) return x.source == "ajans-a" and x.id < 10 and x.id ~= 7 and x.id ~= 8 end),
  "parameters bound")
for row in db:sql("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH ?", "haber") do
  T.eq(row.n, 30, "sql can query the full-text index")
end
T.raises(function() db:sql("DELETE FROM articles") end, "sql:", "DELETE is refused")
T.raises(function() db:sql("UPDATE articles SET title = 'x'") end, "sql:", "UPDATE is refused")
T.raises(function() db:sql("SELECT 1; DROP TABLE articles") end, "one statement", "a second statement is refused")
T.raises(function() db:sql("ATTACH DATABASE '/tmp/x.db' AS x") end, "sql:", "ATTACH is refused")
T.raises(function() db:sql("PRAGMA journal_mode = DELETE") end, "sql:", "PRAGMA is refused")
T.raises(function() db:sql("BEGIN") end, "sql:", "BEGIN is refused")
T.raises(function() db:sql("SELECT ?", 1, 2) end, "2 values for 1 parameters", "too many values")
T.raises(function() db:sql("SELECT nosuch FROM articles") end, "no such column", "bad SQL raises")
T.eq(db:count(), 30, "nothing was changed")

-- injection attempts through every string argument
local evil = "x' OR '1'='1'; DROP TABLE articles; --"
T.eq(db:count { source = evil }, 0, "source")
T.eq(db:count { lang = evil }, 0, "lang")
T.eq(db:count { since = evil }, 0, "since (sorts after every date)")
T.eq(db:count { ["until"] = evil }, db:count { since = "" }, "until (every dated article)")
T.eq(db:count { match = evil }, 0, "match")
T.eq(#db:search(evil), 0, "search")
T.eq(#db:search("haber", { source = evil }), 0, "search filter")
for _ in db:sql("SELECT * FROM articles WHERE title = ?", evil) do T.ok(false, "no row") end
T.eq(#db:mentions { id = evil, type = evil, source = evil }, 0, "mentions")
local eid = db:add { title = evil, body = evil, source = evil, meta = { [evil] = evil } }
T.eq(db:get(eid).title, evil, "stored as text")
T.eq(db:get(eid).meta, { [evil] = evil }, "meta keys and values")
T.eq(db:count(), 31, "the table survived")

-- close
local it2, it2state = db:articles()
db:close()
db:close()
T.raises(function() db:count() end, "attempt to use a closed store", "closed store raises")
T.raises(function() it2(it2state) end, "attempt to use a closed store", "an open iterator of a closed store raises")
T.raises(function() return a.body end, "attempt to use a closed store", "lazy field of a closed store raises")
T.eq(a.title, "Haber başlığı 1", "metadata of an article outlives the store")
do
  local d <close> = newsdesk.open()
  d:add(art(1))
end
local keep = newsdesk.open()
local kept_article = (function() keep:add(art(1)); return keep:get(1) end)()
keep = nil
collectgarbage()
T.eq(kept_article.body, art(1).body, "an article keeps its store alive")

-- files, read-only, the sqlite3 program, mentions
local dir = os.tmpname()
os.remove(dir)
local path = dir .. ".db"
local f = assert(newsdesk.open(path))
f:add(art(1, { source = "s1", date = "2024-11-04" }))
f:add(art(2, { source = "s2", date = "2024-11-05" }))
f:close()
local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  p:close()
  return out
end
T.eq(sh("sqlite3 " .. path .. " 'SELECT count(*) FROM articles; PRAGMA journal_mode; PRAGMA user_version'"),
  "2\nwal\n3\n", "the sqlite3 program reads the store: rows, WAL, schema version")
sh("sqlite3 " .. path .. [[ "INSERT INTO mentions(article_id, ruleset, field, type, entity, start, stop, text, suffix, rule)
  VALUES (1, 'r1', 'body', 'country', 'TR', 0, 3, 'Bu,', NULL, 'k1'), (2, 'r1', 'title', 'person', 'P1', 6, 12, 'başlığ', 'ı', 'k2')"]])
-- a second writer waits for the first instead of failing.  The child takes
-- the write lock, says so with a file, and holds the lock until the parent
-- says it is about to write (then a moment more, so the write must wait);
-- a marker file tells when the child has ended, so nothing here depends on
-- how fast the machine starts or runs the child.
do
  local nd = (os.getenv("BUILD") or "build") .. "/newsdesk"
  local flag, trying, ended = path .. ".locked", path .. ".trying", path .. ".ended"
  local function exists(p) local f = io.open(p) if f then f:close() return true end return false end
  local child = string.format([[(%s -e '
    local db = newsdesk.open(%q)
    db:transaction(function()
      db:add{ title = "Kilitli", body = "ikinci süreç yazıyor" }
      io.open(%q, "w"):close()
      while not io.open(%q) do end
      local t = os.clock() while os.clock() - t < 0.3 do end
    end)'; touch %q) >/dev/null 2>&1 &]], nd, path, flag, trying, ended)
  os.execute(child)
  local w = assert(newsdesk.open(path))
  while not exists(flag) and not exists(ended) do end
  T.ok(exists(flag), "the other process holds the write lock")
  io.open(trying, "w"):close()
  local wid, wmsg = w:add(art(50))
  T.ok(wid ~= nil, "a write while another process holds the lock waits and succeeds: " .. tostring(wmsg))
  while not exists(ended) do end
  T.eq(w:count(), 4, "both writes are in")
  w:close()
  os.remove(flag)
  os.remove(trying)
  os.remove(ended)
end
local ro = assert(newsdesk.open(path, { readonly = true }))
T.eq(ro:count(), 4, "read-only open sees the articles")
local n3, m3, c3 = ro:add(art(3))
T.ok(n3 == nil and c3 == "db" and m3:find("readonly"), "adding to a read-only store fails: " .. tostring(m3))
local ms = ro:mentions { type = "country" }
T.eq(ms, { { article = 1, field = "body", type = "country", id = "TR", start = 1, stop = 3, text = "Bu,", rule = "k1" } },
  "db:mentions by type, positions 1-based inclusive")
T.eq(#ro:mentions { source = "s2" }, 1, "mentions by article source")
T.eq(#ro:mentions { since = "2024-11-05" }, 1, "mentions since")
T.eq(#ro:mentions { article = 1 }, 1, "mentions of one article")
T.eq(#ro:mentions { id = "P1", type = "person" }, 1, "mentions by entity id")
T.eq(ro:get(2):mentions()[1].suffix, "ı", "article:mentions()")
T.raises(function() ro:mentions { entity = "x" } end, "unknown mentions field", "unknown mentions field")
sh("sqlite3 " .. path .. [[ "UPDATE articles SET meta = '{bad' WHERE id = 1"]])
local broken = ro:get(1)
T.raises(function() return broken.meta end, "invalid JSON in the article's meta", "meta another tool broke raises")
T.raises(function() return broken.meta end, "invalid JSON in the article's meta", "and raises again, not nil")
T.eq(broken.body, art(1).body, "the other fields still read")
ro:close()
local bad, bmsg, bcode = newsdesk.open(dir .. "/missing/x.db")
T.ok(bad == nil and bcode == "db" and bmsg:find("missing", 1, true), "open of an impossible path fails politely")
local notstore = os.tmpname()
local nf = io.open(notstore, "w"); nf:write("this is not a database, it is a text file of some length.\n"); nf:close()
bad, bmsg = newsdesk.open(notstore)
T.ok(bad == nil and bmsg:find(notstore, 1, true), "a text file is not a store: " .. tostring(bmsg))
os.remove(notstore)
os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm")
T.done()
