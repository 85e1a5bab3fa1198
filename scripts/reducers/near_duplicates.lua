-- near_duplicates.lua — find republished copies across shards in the
-- stream, as the store finds them at ingest (the same signature, threshold
-- and minimum length: newsdesk.text.signature).  Both halves in one file:
--
--   newsdesk map --key band scripts/reducers/near_duplicates.lua < articles.jsonl \
--     | LC_ALL=C sort | newsdesk reduce scripts/reducers/near_duplicates.lua \
--     | LC_ALL=C sort -u > dups.jsonl
--   newsdesk map scripts/filters/north_korea_tr.lua dups.jsonl < articles.jsonl
--
-- map(article) emits one record per LSH band of the article's signature,
-- with the band key in field `band` (hence --key band), holding the article's id (its `id`, else `url`),
-- the order it is ranked by (its date, then its id) and the signature.  An
-- article without id or url, or too short to judge, emits nothing.
-- reduce(band, records) takes the copies that share a band earliest first
-- and writes { id = ID, duplicate_of = EARLIER_ID } for each that is a
-- near-duplicate (similarity >= newsdesk.text.NEAR) of an earlier kept one.
-- A copy found in several bands is written once per band: `sort -u` (or
-- any set) removes the repeats.  newsdesk.filters.no_duplicates{ list =
-- "dups.jsonl" } then drops the listed articles from a stream.
--
-- Differences from the store: the store keeps the first article it
-- ingested, this keeps the earliest by date (ties by id), which does not
-- depend on how the input was split; and in a chain A ~ B ~ C where A and
-- C are not alike, both B and C are dropped here (each has an earlier
-- near copy), whereas the store links C to whichever it met first.
local text = newsdesk.text

local function date_of(a)
  return a.published or a.date or a.pubDate or a.published_at or ""
end

function map(a)
  local id = a.id or a.url
  local body = a.body or a.text or a.content
  if body == nil or body == "" then body = a.title or a.headline end
  if id == nil or type(body) ~= "string" then return nil end
  local sig, bands = text.signature(body)
  if not sig then return nil end
  local order = tostring(date_of(a)) .. "\t" .. (type(id) == "number" and string.format("%020d", id) or tostring(id))
  local out = {}
  for i, band in ipairs(bands) do
    out[i] = { band = band, id = id, order = order, sig = sig }
  end
  return out
end

function reduce(band, records)
  table.sort(records, function(x, y) return x.order < y.order end)
  local kept, out = {}, {}
  for _, r in ipairs(records) do
    local orig
    for _, k in ipairs(kept) do
      if text.similarity(r.sig, k.sig) >= text.NEAR then orig = k; break end
    end
    if orig then
      out[#out + 1] = { id = r.id, duplicate_of = orig.id }
    else
      kept[#kept + 1] = r
    end
  end
  return out
end
