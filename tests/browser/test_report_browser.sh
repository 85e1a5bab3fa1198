#!/bin/sh
# test_report_browser.sh — the demo's HTML report ($BUILD/demo-report.html,
# made by `make demo`) rendered by Debian's headless Chromium at 1400 and
# 600 px wide: it loads with no script or console error and fetches nothing;
# every chart's SVG has a non-empty box inside the viewport's width; no text
# element sticks out of its SVG.  The same checks run on a page made by
# stress_report.lua (long labels in several scripts, twelve series, big
# numbers, a 14 × 14 heatmap).  A page built to break those rules must be
# caught, so the checks themselves are tested.  Screenshots of the whole page
# go to $BUILD/report-1400.png and $BUILD/report-600.png.  (The README's
# docs/report-*.png are the top of the same page, taken with the same
# chromium flags plus --force-device-scale-factor=0.6 (1400 px, 2350 high)
# and 0.75 (600 px, 2300 high), to keep them small.)
#
#   make test-browser           (installs chromium with apt-get when root)
#   BUILD=build sh tests/browser/test_report_browser.sh
#
# Where Chromium is not installed (and could not be), prints
# "SKIP: ..." and exits 0.  TAP-style output: "ok N - ..." / "not ok N - ...".
set -u
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
HTML="$BUILD/demo-report.html"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: chromium is not installed (make test-browser installs Debian's chromium as root); the browser test did not run"
    exit 0
fi
if [ ! -s "$HTML" ]; then
    echo "not ok 1 - $HTML exists (run make demo first)"
    exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

# chromium WIDTH HEIGHT ARGS... — one headless run with a fresh profile and
# nothing that talks to the network on its own.
chromium() {
    w=$1; h=$2; shift 2
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$(mktemp -d "$TMP/profile.XXXXXX")" \
        --window-size="$w,$h" "$@" 2>>"$TMP/chromium.log"
}

# instrument IN OUT — a copy of page IN with catch_errors.js first in <head>
# and check_layout.js last in <body> (the report itself has no script).
instrument() {
    python3 - "$1" "$2" "$HERE/catch_errors.js" "$HERE/check_layout.js" <<'PY'
import sys
src, dst, first, last = sys.argv[1:5]
page = open(src, encoding="utf-8").read()
head = "<head>\n<script>\n" + open(first, encoding="utf-8").read() + "</script>"
tail = "<script>\n" + open(last, encoding="utf-8").read() + "</script>\n</body>"
if "<head>" not in page or "</body>" not in page:
    sys.exit(src + ": no <head> or </body> to instrument")
page = page.replace("<head>", head, 1)
i = page.rindex("</body>")
page = page[:i] + tail + page[i + len("</body>"):]
open(dst, "w", encoding="utf-8").write(page)
PY
}

# verdict PAGE WIDTH — the lines check_layout.js wrote, from --dump-dom.
verdict() {
    chromium "$2" 1000 --virtual-time-budget=5000 --dump-dom "file://$1" >"$TMP/dom.html"
    python3 - "$TMP/dom.html" <<'PY'
import sys, re, html
dom = open(sys.argv[1], encoding="utf-8", errors="replace").read()
# the last one: the injected script's own text names the element too
found = re.findall(r'<pre id="nd-verdict">(.*?)</pre>', dom, re.S)
print(html.unescape(found[-1]).strip() if found else "NOVERDICT")
PY
}

# ---- the checks catch what they are meant to catch -----------------------
cat >"$TMP/bad.html" <<'BAD'
<!DOCTYPE html><html><head><meta charset="utf-8"/><title>bad</title></head><body>
<figure class="chart" id="chart-1"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50" width="200">
<text x="150" y="30">a label far too long for this chart</text></svg></figure>
<figure class="chart" id="chart-2"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 50" width="900">
<text x="10" y="30">wide</text></svg></figure>
<script>console.error("deliberate");</script>
</body></html>
BAD
instrument "$TMP/bad.html" "$TMP/bad-checked.html" || exit 1
v=$(verdict "$TMP/bad-checked.html" 600)
echo "$v" | sed 's/^/# bad page: /'
case "$v" in *"chart-1 svg 0: text \"a label far too long"*) ok "an overflowing text is caught" ;;
    *) not_ok "an overflowing text is caught" ;; esac
case "$v" in *"chart-2 svg 0: box"*"outside the viewport width 600"*) ok "an SVG wider than the viewport is caught" ;;
    *) not_ok "an SVG wider than the viewport is caught" ;; esac
case "$v" in *"ERROR console.error: deliberate"*) ok "a console error is caught" ;;
    *) not_ok "a console error is caught" ;; esac

# ---- the demo report, and a report built to be hard to lay out ------------
instrument "$HTML" "$TMP/report.html" || exit 1
"${ND:-$BUILD/newsdesk}" run "$HERE/stress_report.lua" "$TMP/stress.html" || { not_ok "stress_report.lua writes its page"; exit 1; }
instrument "$TMP/stress.html" "$TMP/stress-checked.html" || exit 1
for w in 1400 600; do
    v=$(verdict "$TMP/stress-checked.html" "$w")
    echo "$v" | grep -E '^CHARTS' | sed "s/^/# stress page, $w px: /"
    charts=$(echo "$v" | sed -n 's/^CHARTS \([0-9]*\) .*/\1/p')
    [ "${charts:-0}" = 6 ] && ok "stress page, $w px: all six charts render" || not_ok "stress page, $w px: all six charts render (got ${charts:-none})"
    bad=$(echo "$v" | grep -E '^(FAIL|ERROR)' || true)
    [ -z "$bad" ] && ok "stress page, $w px: long labels, many series and big numbers stay inside their charts" \
        || { not_ok "stress page, $w px: long labels, many series and big numbers stay inside their charts"; echo "$bad" | sed 's/^/# /'; }
done
for w in 1400 600; do
    v=$(verdict "$TMP/report.html" "$w")
    if [ "$v" = NOVERDICT ]; then
        not_ok "$w px: the page loaded and the layout check ran (see $TMP/chromium.log)"
        sed 's/^/# /' "$TMP/chromium.log" | tail -20
        continue
    fi
    echo "$v" | grep -E '^(VIEWPORT|CHARTS|HEIGHT)' | sed "s/^/# $w px: /"
    vp=$(echo "$v" | sed -n 's/^VIEWPORT //p')
    [ "$vp" = "$w" ] && ok "$w px: the page is laid out $w px wide" || not_ok "$w px: the page is laid out $w px wide (got $vp)"
    charts=$(echo "$v" | sed -n 's/^CHARTS \([0-9]*\) .*/\1/p')
    [ "${charts:-0}" -ge 3 ] && ok "$w px: the bar, timeline and matrix charts are there ($charts)" \
        || not_ok "$w px: the bar, timeline and matrix charts are there (got ${charts:-none})"
    errs=$(echo "$v" | grep '^ERROR' || true)
    [ -z "$errs" ] && ok "$w px: no script or console error" || { not_ok "$w px: no script or console error"; echo "$errs" | sed 's/^/# /'; }
    fails=$(echo "$v" | grep '^FAIL' || true)
    boxes=$(echo "$fails" | grep -v ': text ' | grep . || true)
    texts=$(echo "$fails" | grep ': text ' || true)
    [ -z "$boxes" ] && ok "$w px: every chart SVG has a non-empty box inside the viewport, nothing fetched" \
        || { not_ok "$w px: every chart SVG has a non-empty box inside the viewport, nothing fetched"; echo "$boxes" | sed 's/^/# /'; }
    [ -z "$texts" ] && ok "$w px: no text sticks out of its chart" \
        || { not_ok "$w px: no text sticks out of its chart"; echo "$texts" | sed 's/^/# /'; }
    # the whole page, for the README
    height=$(echo "$v" | sed -n 's/^HEIGHT //p')
    chromium "$w" "${height:-3000}" --screenshot="$BUILD/report-$w.png" "file://$(cd "$(dirname "$HTML")" && pwd)/$(basename "$HTML")" >/dev/null
    [ -s "$BUILD/report-$w.png" ] && ok "$w px: screenshot $BUILD/report-$w.png" || not_ok "$w px: screenshot $BUILD/report-$w.png"
done
echo "# $n checks, $failed failed"
[ "$failed" = 0 ]
