# Language identification on the held-out half of public test data
# (tests/data/lang): the figures the README reports must not get worse.
# Floors a little under the README's table; `make lang-eval` prints it all.
. tests/cli/lib.sh
EVAL=$BUILD/lang/lang_eval
out=$("$EVAL" --split test) || { check "lang_eval runs" false; done_testing; }
printf '%s\n' "$out" | sed 's/^/# /'

# "Sentences in the 14 languages: N, right R% (lowest language L%), wrong W%, und U%; 40-80 bytes right H% of M."
line=$(printf '%s\n' "$out" | grep '^Sentences in the 14 languages')
num() { printf '%s\n' "$line" | sed -n "s/.*[:,;] $1 \([0-9.]*\)%.*/\1/p"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
other=$(printf '%s\n' "$out" | sed -n 's/^Other languages: .*wrong label \([0-9.]*\)%.*/\1/p')
check "the summary lines say how many were wrong" test -n "$(num wrong)" -a -n "$other"
check "sentences right >= 96.5% ($(num right))" ge "$(num right)" 96.5
check "wrong labels on sentences <= 1.5% ($(num wrong))" ge 1.5 "$(num wrong)"
check "headline-length sentences right >= 95% ($(num '40-80 bytes right'))" ge "$(num '40-80 bytes right')" 95
pairs=$(printf '%s\n' "$out" | sed -n 's/^Two-word phrases right, average over languages: \([0-9.]*\)%;.*/\1/p')
check "two-word phrases right >= 70% on average ($pairs)" ge "$pairs" 70
check "languages it does not name get a label <= 3% of the time ($other)" ge 3 "$other"
for l in tr en de ru uk bg fr es it pt nl az ar fa; do
    r=$(printf '%s\n' "$out" | sed -n "s/^| $l | [0-9]* | \([0-9.]*\)%.*/\1/p")
    check "$l: sentences right >= 85% ($r)" ge "$r" 85
done
done_testing
