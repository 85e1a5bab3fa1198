#!/usr/bin/env python3
"""gen_dates.py — writes core/dates_words.h, the month and weekday word
tables of core/dates.c, from the Unicode CLDR locale data that Debian ships
in the package unicode-cldr-core (/usr/share/unicode/cldr/common/main):

    python3 core/textgen/gen_dates.py > core/dates_words.h

Run it again when the CLDR version or the folding in core/dates.c (fold_cp)
changes; tests/cli/test_dates_words.sh fails until the committed file and
the generator's output agree.

What goes in, per language of LOCALES:
  - every Gregorian month name, format and stand-alone context (the format
    context holds the genitive where a language has one: "мая", "ноября"),
    wide and abbreviated widths, with their alt variants; a trailing '.'
    is dropped, since the parser reads it as punctuation;
  - the first three letters of every wide month name ("fév", "aoû",
    "ene", "сен"), the abbreviations pages write beside CLDR's;
  - weekday names, wide and abbreviated, of two letters or more; a name of
    several words ("bazar ertəsi") is left out, a hyphenated one
    ("segunda-feira") gives its first part;
  - the few forms of EXTRA_MONTHS and EXTRA_WEEKDAYS that CLDR does not list
    but news pages write.
A spelling that would mean two different months is left out (and named on
stderr): "jui" is juin and juillet.  Keys are folded as fold_cp folds text.
A month key marked W_FULL is a whole month name in some language ("May",
"Mai", "мая"): only those make a date without a year; an abbreviation such
as Turkish "Ara" (also the word "gap") needs a year next to it.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

CLDR = os.environ.get("CLDR_MAIN", "/usr/share/unicode/cldr/common/main")
LOCALES = ["tr", "en", "de", "de_AT", "ru", "uk", "bg", "fr", "es", "it", "pt", "pt_PT", "nl", "az"]

# Forms in common use that CLDR does not list (folded or not; folded here).
EXTRA_MONTHS = {
    "maerz": 3, "mrz": 3, "jaenner": 1,            # German without umlaut, short März
    "setiembre": 9,                                 # Spanish variant spelling
}
EXTRA_WEEKDAYS = {
    "pts": 1, "crs": 3, "prs": 4, "cts": 6, "pzr": 7,   # Turkish page abbreviations
    "tues": 2, "thur": 4, "thurs": 4,                    # English
    "sonnabend": 6,                                      # German (north)
    "среду": 3, "пятницу": 5, "субботу": 6,             # Russian accusative ("в среду")
}

LATIN1_BASE = ("aaaaaaaceeeeiiii" "dnooooo\0ouuuuyts"
               "aaaaaaaceeeeiiii" "dnooooo\0ouuuuyty")


def fold_char(ch):
    """The matching key of one character, exactly as fold_cp in core/dates.c."""
    c = ord(ch)
    if c < 0x80:
        return ch.lower() if "A" <= ch <= "Z" else ch
    if 0xC0 <= c <= 0xFF:
        b = LATIN1_BASE[c - 0xC0]
        return b if b != "\0" else ch
    if c in (0x130, 0x131):
        return "i"
    if c in (0x11E, 0x11F):
        return "g"
    if c in (0x15E, 0x15F):
        return "s"
    if c in (0x100, 0x101):
        return "a"
    if c in (0x401, 0x451):
        return "\u0435"
    if 0x410 <= c <= 0x42F:
        return chr(c + 0x20)
    if 0x400 <= c <= 0x40F:
        return chr(c + 0x50)
    return ch


def fold(s):
    return "".join(fold_char(ch) for ch in s)


def is_word(s):
    """One token for the parser's lexer: letters only."""
    return s != "" and all(ch.isalpha() for ch in s)


def read_xml(path):
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        sys.exit("gen_dates.py: cannot read %s: %s (Debian package unicode-cldr-core)" % (path, e))


def gregorian(loc):
    path = os.path.join(CLDR, loc + ".xml")
    cal = read_xml(path).find(".//calendars/calendar[@type='gregorian']")
    if cal is None:
        sys.exit("gen_dates.py: no Gregorian calendar in " + path)
    return cal


def main():
    months = {}       # key -> (month, full)
    clash = set()
    weekdays = {}

    def add_month(key, m, full):
        if not is_word(key) or key in clash:
            return
        old = months.get(key)
        if old and old[0] != m:
            clash.add(key)
            del months[key]
            return
        months[key] = (m, full or (old is not None and old[1]))

    dtd_path = os.path.join(CLDR, "..", "dtd", "ldml.dtd")
    try:
        with open(dtd_path, encoding="utf-8") as f:
            version = re.search(r'cldrVersion CDATA #FIXED "([^"]+)"', f.read()).group(1)
    except (OSError, AttributeError) as e:
        sys.exit("gen_dates.py: no CLDR version in %s: %s (Debian package unicode-cldr-core)"
                 % (dtd_path, e))
    for loc in LOCALES:
        cal = gregorian(loc)
        for ctx in cal.findall("months/monthContext"):
            for width in ctx.findall("monthWidth"):
                wide = width.get("type") == "wide"
                if width.get("type") not in ("wide", "abbreviated"):
                    continue
                for el in width.findall("month"):
                    m = int(el.get("type"))
                    name = fold(el.text.strip()).rstrip(".")
                    add_month(name, m, wide)
                    if wide and len(name) > 3:
                        add_month(name[:3], m, False)
        for ctx in cal.findall("days/dayContext"):
            for width in ctx.findall("dayWidth"):
                if width.get("type") not in ("wide", "abbreviated"):
                    continue
                for el in width.findall("day"):
                    d = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(el.get("type")) + 1
                    name = fold(el.text.strip()).rstrip(".").split("-")[0]
                    if is_word(name) and len(name) >= 2 and name not in weekdays:
                        weekdays[name] = d
    for k, m in EXTRA_MONTHS.items():
        add_month(fold(k), m, False)
    for k, d in EXTRA_WEEKDAYS.items():
        weekdays.setdefault(fold(k), d)
    for k in sorted(clash):
        print("gen_dates.py: left out '%s' (two months)" % k, file=sys.stderr)

    def c_str(k):
        return '"' + k + '"'

    def emit(name, items, val):
        keys = sorted(items, key=lambda k: k.encode("utf-8"))
        print("static const wordkey %s[] = {" % name)
        line = "   "
        for k in keys:
            cell = " { %s, %s }," % (c_str(k), val(k))
            if len(line) + len(cell) > 100:
                print(line)
                line = "   "
            line += cell
        print(line)
        print("};")

    print("/* Generated by core/textgen/gen_dates.py from CLDR %s (%s).  Do not edit. */"
          % (version, " ".join(LOCALES)))
    print("/* Month words: month number, | W_FULL for a whole month name. */")
    emit("months", months, lambda k: "%d%s" % (months[k][0], " | W_FULL" if months[k][1] else ""))
    print("")
    print("/* Weekday words: 1 = Monday. */")
    emit("weekdays", weekdays, lambda k: str(weekdays[k]))


if __name__ == "__main__":
    main()
