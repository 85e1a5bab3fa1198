#!/usr/bin/env python3
"""gen_lang.py -- writes the language model of core/lang.c (a C source file).

    python3 core/langgen/gen_lang.py PROFILE_DIR core/langgen/az.txt OUT.c

PROFILE_DIR holds the character n-gram profiles of the language-detection
project (Nakatani Shuyo's, as packaged by Debian in python3-langdetect,
Apache-2.0): one JSON file per language, {"freq": {ngram: count},
"n_words": [unigrams, bigrams, trigrams]}.  Azerbaijani has no profile
there; az.txt is public Azerbaijani text (see README.md beside this file)
from which the same kind of counts are made.

For every class (a language written in Latin, Cyrillic or Arabic script)
and every n-gram it has seen, the model stores the bonus
    log(ALPHA + count / n_words[n]) - log(ALPHA)
in units of 1/SCALE nat: the naive-Bayes score of a text in a class is the
sum of the bonuses of its n-grams (n-grams a class never saw add 0, as in
the language-detection project, whose smoothing ALPHA this is).  Since
an unseen n-gram adds nothing, a text is not held against a class for
lacking the letters that class writes all the time; the marker letters
make up for that: for each class, the letters of its script it writes at
least MARKER_MIN times per letter while some named language of that script
writes them at most 1/MARKER_RATIO as often (Russian ы, Bulgarian ъ,
Ukrainian і ї є, German ü ä, Turkish ı ş ğ ...), with that rate.  A text
of n letters without such a letter is exp(-n * rate) likely in the class
(Poisson), so core/lang.c takes n * rate nats off its score.  Text is
normalized as those profiles were: lower case, letters only, Persian yeh
as Arabic yeh, s/t with comma below as with cedilla.

The output: the class table, a letter index for every code point the
profiles use, an open-addressing hash table from packed n-grams to rows of
bonuses (one byte per class of the n-gram's script), and the function
words of FUNCTION_WORDS packed the same way (each with its sole flag, see
the function-word table below).  Deterministic: same input,
same bytes.
"""
import json
import math
import os
import sys
import unicodedata

ALPHA = 0.5 / 10000      # language-detection's smoothing of n-gram probabilities
SCALE = 32               # bonus units per nat; a bonus fits a byte (log(1 + 1/ALPHA) * 32 < 256)
SCRIPTS = ("latin", "cyrillic", "arabic")
MARKER_MIN = 0.003       # a marker letter's least rate in its class (per unigram)
MARKER_RATIO = 20        # ... and how much more often than in some named neighbour
# The languages nd_lang_detect names; every other class of the model stands
# for "und" (include/nd_dates.h lists them).
NAMED = ("tr", "en", "de", "ru", "uk", "bg", "fr", "es", "it", "pt", "nl", "az", "ar", "fa")

# Function words (our own lists): each one in a text adds a word bonus
# (core/lang.c) to every language that lists it.  They carry short texts,
# where three or four words give n-grams too few.  The named languages have
# lists, and so do the neighbours that share many of their words (mk with
# bg, ro and ca with it/es/pt/fr, af with nl), lest the bonus pull those
# neighbours' text to a named language.
FUNCTION_WORDS = {
    "en": "the of and to in is was for that on with as by at from it his her he she they this be are "
          "were has have had not but or an which who will would been their its said after about more "
          "than also we you our can there a my your me do does did just like "
          "i what all if so no up out one when how them him into some could should very didn don "
          "isn doesn wasn won can t",
    "de": "der die das und ist nicht mit sich den dem des ein eine einer einem auch auf für von zu im "
          "bei sind wird wurde werden hat haben oder aber nach noch nur wie schon über vor ich wir sie "
          "er es zum zur dass",
    "fr": "le la les des et est une dans pour que qui sur par pas plus au aux du avec ce cette il elle "
          "ont sont été mais ou son sa ses leur nous vous je",
    "es": "el la los las del y es una por para que con se su sus al lo como pero más fue ha han muy "
          "también entre desde hasta cuando sobre este esta está son",
    "it": "il lo la gli le dei degli delle della dello del di e è un una per che con non si sono nel "
          "nella alla al ai anche come ma più ha hanno era questo questa dopo tra",
    "pt": "o a os as do da dos das e é um uma para que com não se na no nas nos ao à por mais como mas "
          "foi são ser tem pelo pela também entre já muito ele ela",
    "nl": "de het een en van is in op te dat die voor met zijn niet aan er ook als bij maar om wordt door "
          "nog naar uit heeft werd worden over dan hij zij ze wij",
    "tr": "ve bir bu da de için ile olarak daha çok en gibi sonra kadar ama ancak ise ki ne her olan "
          "değil diye göre olduğu bunu şu mi",
    "az": "və bir bu da də üçün ilə olaraq daha çox ən kimi sonra qədər amma ancaq isə ki nə hər olan "
          "deyil görə olduğu onun onlar idi",
    "ru": "и в не на что с по он как это из к у за от же но для то так все она было был его о а мы вы "
          "они ее их при или уже бы "
          "еще ещё только может если когда где быть очень даже тоже чтобы этот эта эти также ты "
          "меня мне тебя вот нет сейчас всё будет есть надо тут там себя сам "
          "поэтому её мой твой можно нужно здесь кто почему до со этого этому этим этой эту "
          "тебе себе него ней ним них нам вам им свой свои наш ваш хочу хочет",
    "uk": "і в не на що з по він як це із до у за від же але для то так все вона було був його про а "
          "ми ви вони її їх при або вже б та й "
          "щоб ще тільки може якщо коли де бути дуже навіть також цей ця ці ти мене мені тебе ось "
          "ні зараз усе все буде є треба тут там себе сам який яка які чи нас вас "
          "неї мій твій має можна хто чому лише зі цього цьому цим цієї цю тобі собі нього "
          "нею ним них нам вам їм свій свої наш ваш хочу хоче",
    "bg": "и в не на че с по той като това от до у за е са се да но то така всичко тя беше бил ние вие "
          "те ги при или вече ще който която "
          "още само може ако когато къде много дори също този тази тези ти мен ми теб ето сега "
          "всички има няма трябва тук там себе сам какво как защо кой нещо във със към след преди "
          "без него нея тях им нас вас",
    "ar": "في من على إلى عن أن هذا هذه التي الذي كان مع لا ما هو هي بين كل بعد قبل",
    "fa": "در از به که این با را است برای آن یک تا بر هم می نیز شد شده بود",
    "mk": "и во на да се не од за со е ќе што како тоа го ја ги а но или така беше бил по до кон "
          "само може ако кога каде многу сега има нема треба тука таму себе сам зошто кој нешто "
          "без ти ми",
    "ro": "și în de la a cu pe că nu se un o din care mai este sunt fost pentru ca dar sau au al ale lui",
    "ca": "el la els les de i a que en un una per amb no es és del al als però com més aquest aquesta",
    "af": "die en van in is het nie op te dat wat vir met sy hy ek ons word was aan om as by",
}


def script_of(ch):
    o = ord(ch)
    if o < 0x2B0 or 0x1E00 <= o <= 0x1EFF:
        return "latin"
    if 0x400 <= o <= 0x52F:
        return "cyrillic"
    if 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F:
        return "arabic"
    return None


def norm_char(ch):
    """One code point as the profiles count it, or ' ' for a non-letter."""
    if ch == "\u0130":                   # Turkish dotted capital I
        return "i"
    low = ch.lower()
    if len(low) != 1:
        return " "
    ch = low
    o = ord(ch)
    if ch == "\u06cc":
        return "\u064a"
    if ch == "\u0219":
        return "\u015f"
    if ch == "\u021b":
        return "\u0163"
    if 0x1EA0 <= o <= 0x1EFF:
        return "\u1ec3"
    if not unicodedata.category(ch).startswith("L"):
        return " "
    return ch


def load_profile(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    freq = {}
    for g, c in d["freq"].items():
        n = "".join(norm_char(ch) for ch in g)
        if len(n) != len(g) or " " in n.strip():
            continue
        freq[n] = freq.get(n, 0) + c
    return freq, d["n_words"]


def train_profile(path, exclude):
    """Counts of az.txt in the profiles' way: words padded by one space."""
    freq, nw = {}, [0, 0, 0]
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line in exclude:
                continue
            text = "".join(norm_char(ch) for ch in line)
            for word in text.split():
                w = " " + word + " "
                for n in (1, 2, 3):
                    for i in range(len(w) - n + 1):
                        g = w[i:i + n]
                        if g.strip() == "":
                            continue
                        freq[g] = freq.get(g, 0) + 1
                        nw[n - 1] += 1
    return freq, nw


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: gen_lang.py PROFILE_DIR AZ_TEXT EXCLUDE_DIR OUT.c")
    prof_dir, az_path, exclude_dir, out_path = sys.argv[1:]

    # Lines of the evaluation data never train anything.
    exclude = set()
    for root, _, files in os.walk(exclude_dir):
        for name in files:
            if name.endswith(".txt"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    exclude.update(l.rstrip("\n") for l in f)

    if not os.path.isdir(prof_dir):
        sys.exit("gen_lang.py: no n-gram profiles in %s (Debian package python3-langdetect; "
                 "make deps installs it)" % prof_dir)
    profiles = {}
    for name in sorted(os.listdir(prof_dir)):
        freq, nw = load_profile(os.path.join(prof_dir, name))
        letters = [g for g in freq if len(g) == 1 and g != " "]
        counts = {}
        for g in letters:
            s = script_of(g)
            if s:
                counts[s] = counts.get(s, 0) + freq[g]
        if not counts:
            continue
        script = max(counts, key=counts.get)
        if counts[script] < 0.9 * sum(freq[g] for g in letters):
            continue
        profiles[name] = (script, freq, nw)
    profiles["az"] = ("latin",) + train_profile(az_path, exclude)

    classes = sorted(profiles, key=lambda c: (SCRIPTS.index(profiles[c][0]), c))
    if not set(NAMED) <= set(classes):
        sys.exit("gen_lang.py: no profile for " + " ".join(sorted(set(NAMED) - set(classes))))
    if len(classes) > 64:
        sys.exit("gen_lang.py: more than 64 classes")

    # Letter index: 0 is the word boundary.
    alphabet = sorted({ch for c in classes for g in profiles[c][1] for ch in g
                       if ch != " " and script_of(ch) == profiles[c][0]})
    if len(alphabet) >= 1023:
        sys.exit("gen_lang.py: alphabet too large for 10-bit letters")
    index = {ch: i + 1 for i, ch in enumerate(alphabet)}

    def key(g):
        k = 0
        for ch in g:
            if ch == " ":
                k = k * 1024
            else:
                k = k * 1024 + index[ch]
        return (len(g) << 30) | k

    postings = {}
    for ci, c in enumerate(classes):
        script, freq, nw = profiles[c]
        for g, cnt in freq.items():
            if len(g) > 3 or g.strip() == "":
                continue
            if any(ch != " " and (ch not in index or script_of(ch) != script) for ch in g):
                continue
            p = cnt / nw[len(g) - 1]
            bonus = int(round(SCALE * (math.log(ALPHA + p) - math.log(ALPHA))))
            if bonus <= 0:
                continue
            postings.setdefault(key(g), []).append((ci, min(bonus, 255)))

    keys = sorted(postings)
    # Dense rows: a key's row holds one bonus per class of its script
    # (the classes of a script are consecutive), padded to a multiple of 4.
    base, width = {}, {}
    for si, sname in enumerate(SCRIPTS):
        members = [i for i, c in enumerate(classes) if profiles[c][0] == sname]
        base[si] = members[0] if members else 0
        width[si] = (len(members) + 3) // 4 * 4
    rows = bytearray()
    row_of = {}
    for k in keys:
        si = profiles[classes[postings[k][0][0]]][0]
        si = SCRIPTS.index(si)
        row = bytearray(width[si])
        for ci, b in postings[k]:
            row[ci - base[si]] = b
        row_of[k] = (si << 30) | len(rows)
        rows += row
    size = 1
    while size < len(keys) * 2:
        size *= 2
    slots = [None] * size
    for k in keys:
        h = ((k * 2654435761) & 0xFFFFFFFF) >> (32 - size.bit_length() + 1)
        while slots[h] is not None:
            h = (h + 1) & (size - 1)
        slots[h] = k
    if len(rows) >= 1 << 30:
        sys.exit("gen_lang.py: rows too large")

    out = []
    w = out.append
    w("/* Generated by core/langgen/gen_lang.py from the language-detection profiles\n")
    w(" * (python3-langdetect, Apache-2.0) and core/langgen/az.txt.  Do not edit. */\n")
    w('#include "lang_model.h"\n\n')
    w("const int nd__lang_scale = %d;\n" % SCALE)
    w("const size_t nd__lang_nclasses = %d;\n" % len(classes))
    w("const unsigned nd__lang_slot_bits = %d;\n\n" % (size.bit_length() - 1))
    w("const nd__lang_class nd__lang_classes[%d] = {\n" % len(classes))
    for c in classes:
        w('    { "%s", %d, %d },\n' % (c, SCRIPTS.index(profiles[c][0]), c in NAMED))
    w("};\n\n")
    def letter(cp):
        ch = norm_char(chr(cp))
        return index.get(ch, 0) if ch != " " else 0

    w("const uint16_t nd__lang_letter_lo[0x780] = {")
    for cp in range(0x780):
        w(("\n    " if cp % 16 == 0 else " ") + "%d," % letter(cp))
    w("\n};\n\n")
    hi = [(cp, letter(cp)) for cp in range(0x780, 0x10000) if letter(cp)]
    w("const nd__lang_letter nd__lang_letter_hi[%d] = {\n" % max(1, len(hi)))
    for cp, v in hi or [(0, 0)]:
        w("    { 0x%04x, %d },\n" % (cp, v))
    w("};\n")
    w("const size_t nd__lang_nletter_hi = %d;\n\n" % len(hi))
    w("const nd__lang_slot nd__lang_slots[%d] = {" % size)
    for i, k in enumerate(slots):
        if i % 4 == 0:
            w("\n   ")
        if k is None:
            w(" {0, 0},")
        else:
            w(" {0x%08x, 0x%08x}," % (k, row_of[k]))
    w("\n};\n\n")
    words = {}
    for lang, text in FUNCTION_WORDS.items():
        ci = classes.index(lang)
        for word in text.split():
            n = "".join(norm_char(ch) for ch in word)
            if len(n) > 8 or any(ch not in index for ch in n):
                sys.exit("gen_lang.py: function word %r cannot be packed" % word)
            k = 0
            for ch in n:
                k = (k << 8) | index[ch]
            if index and max(index.values()) >= 256:
                sys.exit("gen_lang.py: letters do not fit a byte")
            words[k] = words.get(k, 0) | (1 << ci)
    # A word is "sole" when one class lists it and every class of its
    # script has a list: then no language of the model writes it as a
    # function word but that one (only Cyrillic qualifies: Latin and Arabic
    # have classes without lists, Czech "a" or Swedish "in" among them).
    listed = [all(c in FUNCTION_WORDS for c in classes if profiles[c][0] == sc) for sc in SCRIPTS]
    w("const nd__lang_word nd__lang_words[%d] = {\n" % len(words))
    for k in sorted(words):
        m = words[k]
        sole = m & (m - 1) == 0 and listed[SCRIPTS.index(profiles[classes[m.bit_length() - 1]][0])]
        w("    { 0x%016xu, 0x%016xu, %d },\n" % (k, m, sole))
    w("};\n")
    w("const size_t nd__lang_nwords = %d;\n\n" % len(words))
    # Marker letters, by class then letter: rate in millionths per letter.
    markers = []
    for ci, c in enumerate(classes):
        script, freq, nw = profiles[c]
        rate = {g: cnt / nw[0] for g, cnt in freq.items() if len(g) == 1 and g in index}
        for g in sorted(rate, key=lambda g: index[g]):
            p = rate[g]
            if script_of(g) != script or p < MARKER_MIN:
                continue
            if any(profiles[o][0] == script and o != c and
                   profiles[o][1].get(g, 0) / profiles[o][2][0] <= p / MARKER_RATIO for o in NAMED):
                markers.append((ci, index[g], int(round(p * 1e6))))
    w("const nd__lang_marker nd__lang_markers[%d] = {\n" % max(1, len(markers)))
    for ci, l, r in markers or [(0, 0, 0)]:
        w("    { %d, %d, %d },\n" % (ci, l, r))
    w("};\n")
    w("const size_t nd__lang_nmarkers = %d;\n\n" % len(markers))
    w("const nd__lang_script nd__lang_scripts[%d] = {\n" % len(SCRIPTS))
    for si in range(len(SCRIPTS)):
        w("    { %d, %d },\n" % (base[si], width[si]))
    w("};\n\n")
    w("const uint8_t nd__lang_rows[%d] = {" % len(rows))
    for i, b in enumerate(rows):
        w(("\n   " if i % 16 == 0 else "") + " %d," % b)
    w("\n};\n")
    with open(out_path + ".tmp", "w", encoding="utf-8") as f:
        f.write("".join(out))
    os.replace(out_path + ".tmp", out_path)
    sys.stderr.write("gen_lang.py: %d classes, %d letters, %d n-grams, %d bytes of rows\n"
                     % (len(classes), len(alphabet), len(keys), len(rows)))


if __name__ == "__main__":
    main()
