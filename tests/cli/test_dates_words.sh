# core/dates_words.h is what core/textgen/gen_dates.py makes of the CLDR
# data Debian ships (unicode-cldr-core): a table edited by hand, or one
# left behind after CLDR or the folding changed, fails here.
. tests/cli/lib.sh

python3 core/textgen/gen_dates.py >"$TMP/words.h" 2>"$TMP/err"; rc=$?
check_eq "$rc" 0 "the generator runs on the installed CLDR data"
if cmp -s "$TMP/words.h" core/dates_words.h; then same=yes; else same=no; diff core/dates_words.h "$TMP/words.h" | head -20; fi
check_eq "$same" yes "core/dates_words.h is the generator's output (regenerate with: python3 core/textgen/gen_dates.py > core/dates_words.h)"
check_contains "$(cat "$TMP/words.h")" '{ "мая", 5 | W_FULL }' "the Russian genitive of May is a whole month name"
check_contains "$(cat "$TMP/err")" "left out 'jui'" "French jui (juin, juillet) is named as ambiguous and left out"

CLDR_MAIN="$TMP/none" python3 core/textgen/gen_dates.py >/dev/null 2>"$TMP/err2"; rc=$?
check "without CLDR data the generator fails" [ "$rc" != 0 ]
check_contains "$(cat "$TMP/err2")" "$TMP/none/" "and names the file it could not read"
done_testing
