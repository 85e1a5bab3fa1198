-- ner_eval.lua: measure newsdesk.rules.discover on gold-annotated NER
-- sentences (tests/data/ner/, see the README there).
--   newsdesk run tests/ner_eval.lua [--part dev|test] [--lang tr] [--context N] [--errors|--confusion]
-- Each fixture line is one sentence, tokens separated by spaces, a gold
-- name written "[TYPE tok tok ]" (TYPE PER, LOC or ORG).  The text handed to
-- discovery is the tokens joined by single spaces, a token that starts with
-- an apostrophe and a letter (a Turkish suffix: "'nin") glued to the one
-- before.  Sentences go to the dev or the test part by a hash of the line,
-- so the split does not depend on what a line says.  Spans are compared on
-- the base name, the suffix left out; span F1 ignores the type, typed F1
-- needs PER = PERSON, LOC = LOC, ORG = ORG.  Discovered NORP (demonyms) and
-- other types are not scored: the gold sets have no such class.
-- --context N runs discovery over blocks of N consecutive lines (both
-- parts: the text around a sentence, as an article gives it; no gold is
-- read from the other part) and scores the lines of the chosen part; the
-- default, 0, runs it on each sentence alone.
local nd = require "newsdesk"

local FILES = {
  { lang = "tr", path = "tests/data/ner/tr_milliyet.txt" },
  { lang = "en", path = "tests/data/ner/en_conll2003.txt" },
  { lang = "de", path = "tests/data/ner/de_germeval.txt" },
  { lang = "ru", path = "tests/data/ner/ru_factrueval.txt" },
}

local opts = { part = "test", context = 0 }
local i = 1
while arg and arg[i] do
  local a = arg[i]
  if a == "--part" then opts.part = arg[i + 1]; i = i + 1
  elseif a == "--lang" then opts.lang = arg[i + 1]; i = i + 1
  elseif a == "--context" then opts.context = tonumber(arg[i + 1]) or error("ner_eval: --context N"); i = i + 1
  elseif a == "--errors" then opts.errors = true
  elseif a == "--confusion" then opts.confusion = {}
  else error("ner_eval: unknown argument " .. a) end
  i = i + 1
end
if opts.part ~= "dev" and opts.part ~= "test" and opts.part ~= "all" then
  error("ner_eval: --part must be dev, test or all")
end
if (opts.errors or opts.confusion) and opts.part ~= "dev" then
  error("ner_eval: --errors and --confusion show the dev part only")
end

local split = dofile("tests/eval/split.lua")
local function part_of(line) return split.first(line) and "dev" or "test" end

-- line -> text, gold spans { {s=, e=, type=} } (1-based inclusive bytes of the base name)
local function parse(line, where)
  local out, gold, open = {}, {}, nil
  local len = 0
  for tok in line:gmatch("%S+") do
    local ty = tok:match("^%[(%u+)$")
    if ty then
      if open then error(where .. ": nested '['") end
      open = { type = ty, s = nil }
    elseif tok == "]" and open then
      if not open.s then error(where .. ": empty name") end
      open.e = len
      gold[#gold + 1] = open
      open = nil
    else
      local glue = len > 0 and tok:find("^['\226]") and
                   (tok:match("^'%a") or tok:match("^\226\128\153%a") or tok:match("^'[\128-\255]"))
      if not glue and len > 0 then out[#out + 1] = " "; len = len + 1 end
      if open and not open.s then open.s = len + 1 end
      out[#out + 1] = tok
      len = len + #tok
    end
  end
  if open then error(where .. ": '[' not closed") end
  return table.concat(out), gold
end

local MAP = { PERSON = "PER", LOC = "LOC", ORG = "ORG" }

local function base_end(text, m)
  if m.suffix == "" then return m.stop end
  local e = m.stop - #m.suffix
  local before = text:sub(e - 2, e)
  if text:sub(e, e) == "'" then return e - 1 end
  if before == "\226\128\153" then return e - 3 end
  return e
end

local function score(counts, gold, pred)
  local function key(x, typed) return x.s .. ":" .. x.e .. (typed and (":" .. x.type) or "") end
  for _, typed in ipairs({ false, true }) do
    local c = counts[typed and "typed" or "span"]
    local bag = {}
    for _, g in ipairs(gold) do local k = key(g, typed); bag[k] = (bag[k] or 0) + 1 end
    for _, p in ipairs(pred) do
      local k = key(p, typed)
      if (bag[k] or 0) > 0 then bag[k] = bag[k] - 1; c.tp = c.tp + 1 else c.fp = c.fp + 1 end
    end
    for _, n in pairs(bag) do c.fn = c.fn + n end
  end
end

local function show_errors(text, gold, pred)
  local gk, pk = {}, {}
  for _, g in ipairs(gold) do gk[g.s .. ":" .. g.e .. ":" .. g.type] = g end
  for _, p in ipairs(pred) do pk[p.s .. ":" .. p.e .. ":" .. p.type] = p end
  local shown = false
  for k, g in pairs(gk) do
    if not pk[k] then
      if not shown then print("\n" .. text); shown = true end
      print("  missed  " .. g.type .. "  " .. text:sub(g.s, g.e))
    end
  end
  for k, p in pairs(pk) do
    if not gk[k] then
      if not shown then print("\n" .. text); shown = true end
      print("  wrong   " .. p.type .. "  " .. text:sub(p.s, p.e) .. "   (" .. p.m.why .. ")")
    end
  end
end

local function f1(c)
  local p = c.tp + c.fp > 0 and c.tp / (c.tp + c.fp) or 0
  local r = c.tp + c.fn > 0 and c.tp / (c.tp + c.fn) or 0
  return p, r, (p + r > 0) and 2 * p * r / (p + r) or 0
end

print(string.format("part: %s, context: %s", opts.part,
                    opts.context > 0 and (opts.context .. " lines") or "each sentence alone"))
print(string.format("%-4s %5s %5s  %-22s  %-22s", "lang", "sent", "names", "span P / R / F1", "typed P / R / F1"))
for _, f in ipairs(FILES) do
  local fh = io.open(f.path, "rb")
  if fh and (not opts.lang or opts.lang == f.lang) then
    local counts = { span = { tp = 0, fp = 0, fn = 0 }, typed = { tp = 0, fp = 0, fn = 0 } }
    local nsent, nnames, lineno = 0, 0, 0
    local block = {}
    local function run_block()
      if #block == 0 then return end
      local texts = {}
      for k, l in ipairs(block) do texts[k] = l.text end
      local whole = table.concat(texts, "\n")
      local found = nd.rules.discover(whole, { lang = f.lang })
      local off = 0
      for _, l in ipairs(block) do
        l.off = off
        off = off + #l.text + 1
      end
      for _, l in ipairs(block) do
        if l.scored then
          local pred = {}
          for _, m in ipairs(found) do
            if MAP[m.type] and m.start > l.off and m.stop <= l.off + #l.text then
              local e = base_end(whole, m)
              pred[#pred + 1] = { s = m.start - l.off, e = e - l.off, type = MAP[m.type], m = m }
            end
          end
          nsent, nnames = nsent + 1, nnames + #l.gold
          score(counts, l.gold, pred)
          if opts.confusion then
            for _, g in ipairs(l.gold) do
              local got = "none"
              for _, p in ipairs(pred) do if p.s == g.s and p.e == g.e then got = p.type end end
              local k = g.type .. " -> " .. got
              opts.confusion[k] = (opts.confusion[k] or 0) + 1
            end
          end
          if opts.errors then show_errors(l.text, l.gold, pred) end
        end
      end
      block = {}
    end
    for line in fh:lines() do
      lineno = lineno + 1
      line = line:gsub("%s+$", "")
      if line ~= "" and not line:match("^#") then
        local text, gold = parse(line, f.path .. ":" .. lineno)
        local scored = opts.part == "all" or part_of(line) == opts.part
        if opts.context > 0 then
          block[#block + 1] = { text = text, gold = gold, scored = scored }
          if #block >= opts.context then run_block() end
        elseif scored then
          block = { { text = text, gold = gold, scored = true } }
          run_block()
        end
      end
    end
    run_block()
    fh:close()
    local sp, sr, sf = f1(counts.span)
    local tp, tr, tf = f1(counts.typed)
    print(string.format("%-4s %5d %5d  %.2f / %.2f / %.2f    %.2f / %.2f / %.2f", f.lang, nsent, nnames, sp, sr, sf, tp, tr, tf))
    if opts.confusion then
      local ks = {}
      for k in pairs(opts.confusion) do ks[#ks + 1] = k end
      table.sort(ks)
      for _, k in ipairs(ks) do print(string.format("     %-16s %d", k, opts.confusion[k])) end
      opts.confusion = {}
    end
  elseif not fh and (not opts.lang or opts.lang == f.lang) then
    print(string.format("%-4s not measured: %s is not here (its licence does not let the project ship it;" ..
      " tests/data/ner/README.md says where to get it)", f.lang, f.path))
  end
end
