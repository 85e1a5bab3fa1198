-- shard_month.lua — split an input into one store per month of
-- publication, for archives that outgrow one store: each month can then
-- be tagged, searched or mapped on its own, and `newsdesk merge` joins
-- any of them again.
--
--   newsdesk scripts/scale/shard_month.lua OUTDIR PATH...
--
-- PATH... is anything `newsdesk ingest` reads (files, folders, globs, "-"),
-- read by the same ingest, so dates, languages, exact duplicates and
-- repairs are what one ingest would give.  Articles go to
-- OUTDIR/YYYY-MM.db by the month of their stored date, those without a
-- date to OUTDIR/undated.db.  Near-duplicates are linked within a month;
-- merging months links them across.  The input is first ingested into
-- OUTDIR/.staging.db, removed at the end.  Running it again with the same
-- input adds nothing.  Prints one line per store: its name and the
-- articles it holds.  Exit 1 when the ingest reported errors (after
-- sharding what it read).
local outdir = arg[1]
if not outdir or not arg[2] then
  io.stderr:write("usage: newsdesk scripts/scale/shard_month.lua OUTDIR PATH...\n")
  os.exit(2)
end
local paths = { table.unpack(arg, 2) }
os.execute("mkdir -p '" .. outdir:gsub("'", "'\\''") .. "'")

local staging_path = outdir .. "/.staging.db"
local function remove_store(path)
  for _, suffix in ipairs { "", "-wal", "-shm" } do os.remove(path .. suffix) end
end
remove_store(staging_path)
local staging = assert(newsdesk.open(staging_path))
local stats, err = staging:ingest(paths)
if not stats then
  staging:close()
  remove_store(staging_path)
  io.stderr:write("shard_month.lua: ", tostring(err), "\n")
  os.exit(1)
end
for _, e in ipairs(type(stats.errors) == "table" and stats.errors or {}) do
  io.stderr:write(tostring(e.file or "?"), e.line and (":" .. e.line) or "", ": ", tostring(e.message), "\n")
end

-- the shard of a stored date: "YYYY-MM", or "undated"
local function shard_of(date)
  local month = type(date) == "string" and date:match("^(%d%d%d%d%-%d%d)")
  return month or "undated"
end

local shards, names = {}, {}
local function shard(name)
  local db = shards[name]
  if not db then
    db = assert(newsdesk.open(outdir .. "/" .. name .. ".db"))
    db:transaction(function() end)         -- creates the schema now
    shards[name] = db
    names[#names + 1] = name
  end
  return db
end

local fields = { "title", "body", "date", "date_text", "source", "author", "url", "lang", "raw", "meta" }
local batch = {}
local function flush()
  for name, list in pairs(batch) do
    shard(name):transaction(function(db)
      for _, t in ipairs(list) do db:add(t) end
    end, shard(name))
  end
  batch = {}
end
local n = 0
for a in staging:articles() do
  local t = {}
  for _, f in ipairs(fields) do t[f] = a[f] end
  local name = shard_of(a.date)
  shard(name)
  batch[name] = batch[name] or {}
  table.insert(batch[name], t)
  n = n + 1
  if n % 1000 == 0 then flush() end
end
flush()
staging:close()
remove_store(staging_path)

table.sort(names)
for _, name in ipairs(names) do
  print(string.format("%s/%s.db\t%d", outdir, name, shards[name]:count()))
  shards[name]:close()
end
os.exit(#(type(stats.errors) == "table" and stats.errors or {}) > 0 and 1 or 0)
