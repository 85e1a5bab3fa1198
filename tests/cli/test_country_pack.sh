#!/bin/sh
# The generated country pack against Debian's iso-codes as installed now:
# every country and territory of ISO 3166-1, in every language the pack is
# made for, is found by pack:countries as that country; the committed file
# is what the generator makes from this iso-codes version.
. tests/cli/lib.sh
GEN=scripts/rules/gen/gen_countries.py
if ! python3 "$GEN" --names > "$TMP/names.tsv"; then
    check "the generator lists the iso-codes names" false
    done_testing
fi
cat > "$TMP/check.lua" <<'LUA'
local rules = assert(newsdesk.rules.load("pack:countries"))
local fold = newsdesk.text.fold
local rows, owners = {}, {}
for line in io.lines(arg[1]) do
  local lang, iso, name = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
  rows[#rows + 1] = { lang, iso, name }
  local k = lang .. "\0" .. fold(name)
  owners[k] = owners[k] or {}
  owners[k][iso] = true
end
local langs, order = {}, {}
for _, r in ipairs(rows) do
  local lang, iso, name = r[1], r[2], r[3]
  local s = langs[lang]
  if not s then s = { n = 0, countries = {}, missing = {} } langs[lang] = s order[#order + 1] = lang end
  s.n = s.n + 1
  s.countries[iso] = true
  local ok, stop = false, #name:match("^(.-)[%s%p]*$")   -- "(Malvinas)", "d'": the words
  for m in rules:scan(name) do
    -- "Japon" is Japan in French and the Japanese in Turkish: the demonym
    -- of the same country wins there, and still names the country
    if m.start == 1 and m.stop >= stop and (m.type == "COUNTRY" or m.type == "NORP") and
       owners[lang .. "\0" .. fold(name)][m.iso] then
      ok = true
    end
  end
  if not ok then s.missing[#s.missing + 1] = iso .. " " .. name end
end
for _, lang in ipairs(order) do
  local s, nc = langs[lang], 0
  for _ in pairs(s.countries) do nc = nc + 1 end
  local desc = string.format("%s: all %d iso-codes names of %d countries are found as their country", lang, s.n, nc)
  if #s.missing == 0 and nc >= 249 then print("ok - " .. desc)
  else print("not ok - " .. desc) print("#   missing: " .. table.concat(s.missing, "; ", 1, math.min(#s.missing, 10))) end
end
LUA
out=$("$ND" run "$TMP/check.lua" "$TMP/names.tsv" 2>&1)
for lang in tr en de ru uk bg fr es ar; do
    line=$(printf '%s\n' "$out" | grep -- "- $lang: " | head -1)
    n=$((n + 1))
    case "$line" in
    "ok - "*) echo "ok $n - ${line#ok - }" ;;
    *) echo "not ok $n - $lang: every iso-codes country found"; printf '%s\n' "$out" | grep -A1 -- "- $lang: " | sed 's/^/# /'
       nfail=$((nfail + 1)) ;;
    esac
done
have=$(dpkg-query -W -f='${Version}' iso-codes 2>/dev/null)
made=$(sed -n 's/^-- from Debian iso-codes \([^ ]*\) .*/\1/p' scripts/rules/country_names.lua)
if [ -n "$have" ] && [ "$have" = "$made" ]; then
    python3 "$GEN" > "$TMP/country_names.lua"
    check "the committed country_names.lua is what the generator makes from iso-codes $have" \
        cmp -s "$TMP/country_names.lua" scripts/rules/country_names.lua
else
    skip "country_names.lua was made from iso-codes $made, $have is installed: re-run $GEN"
fi
done_testing
