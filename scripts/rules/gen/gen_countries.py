#!/usr/bin/env python3
"""Generate scripts/rules/country_names.lua, the countries and their people,
from Debian's iso-codes package and the hand-kept country_aliases.tsv.

    python3 scripts/rules/gen/gen_countries.py > scripts/rules/country_names.lua
    python3 scripts/rules/gen/gen_countries.py --names   # lang<TAB>iso<TAB>name, for tests

Input: /usr/share/iso-codes/json/iso_3166-1.json (every country and
territory: name, official_name, common_name in English) and the gettext
catalogues /usr/share/locale/LANG/LC_MESSAGES/iso_3166-1.mo (their
translations).  iso-codes is LGPL-2.1-or-later; the names are facts used as
data.  Re-run after an iso-codes update; the output is committed so newsdesk
builds without the package.
"""
import gettext
import json
import os
import re
import subprocess
import sys
import unicodedata

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
LOCALEDIR = "/usr/share/locale"
LANGS = ["tr", "en", "de", "ru", "uk", "bg", "fr", "es", "ar"]   # languages newsdesk reads
LABEL_LANGS = ["tr", "en", "de", "ru"]                         # --label-lang choices
HERE = os.path.dirname(os.path.abspath(__file__))


def fold(s):
    """Close to nd_text_fold: case, diacritics and the Turkish i's ignored."""
    s = unicodedata.normalize("NFKD", s.replace("İ", "i").replace("ı", "i").casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", " ", s.replace("’", "'")).strip()


def catalogue(lang):
    if lang == "en":
        return None
    path = gettext.find("iso_3166-1", LOCALEDIR, [lang])
    if not path:
        sys.exit("gen_countries: no iso_3166-1 catalogue for '%s' under %s "
                 "(apt-get install iso-codes)" % (lang, LOCALEDIR))
    return gettext.translation("iso_3166-1", LOCALEDIR, [lang])


def iso_fields(c):
    return [c[k] for k in ("name", "official_name", "common_name") if k in c]


def iso_names():
    """{iso: {lang: [names as iso-codes gives them]}} and the country list."""
    with open(ISO_JSON, encoding="utf-8") as f:
        countries = json.load(f)["3166-1"]
    out = {}
    for lang in LANGS:
        cat = catalogue(lang)
        for c in countries:
            names = out.setdefault(c["alpha_2"], {}).setdefault(lang, [])
            for en in iso_fields(c):
                t = cat.gettext(en) if cat else en
                if t not in names:
                    names.append(t)
    return countries, out


def read_aliases():
    rows = []
    with open(os.path.join(HERE, "country_aliases.tsv"), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 4 or cols[2] not in ("id", "label", "name", "demonym", "adj"):
                sys.exit("country_aliases.tsv:%d: expected ISO, lang, id|label|name|demonym|adj, names" % lineno)
            rows.append((cols[0], cols[1], cols[2], [n for n in cols[3].split("|") if n]))
    return rows


# ---- derived forms ---------------------------------------------------------

def uninvert(name, english):
    """"Korea, Demokratische Volksrepublik" -> "Demokratische Volksrepublik
    Korea" when the English name is inverted the same way ("X, ... of")."""
    if ", " not in name or ", " not in english or " and " in english.split(", ", 1)[1]:
        return None
    head, rest = name.split(", ", 1)
    return rest + " " + head


RU_HARD_A = "бвдзлмнпрстфц"


def ru_cases(word):
    """Oblique case forms of a Russian noun (singular): Россия -> России,
    Россию, Россией; Иран -> Ирана, Ирану, Ираном, Иране."""
    w = word
    if w.endswith("ия"):
        s = w[:-2]
        return [s + "ии", s + "ию", s + "ией"]
    if w.endswith("я"):
        s = w[:-1]
        return [s + "и", s + "е", s + "ю", s + "ей"]
    if w.endswith("а"):
        s = w[:-1]
        y = "и" if s[-1:] in "гкхжшчщ" else "ы"
        return [s + y, s + "е", s + "у", s + "ой"]
    if w.endswith("й"):
        s = w[:-1]
        return [s + "я", s + "ю", s + "ем", s + "е"]
    if w.endswith("ь"):
        s = w[:-1]
        return [s + "я", s + "ю", s + "ем", s + "е"]
    if w[-1:] and w[-1] in RU_HARD_A + "гкхжшчщ":
        return [w + "а", w + "у", w + "ом", w + "е"]
    return []                                # Перу, Чили, Того: not declined


def ru_forms(name):
    """Case forms of a Russian name of one noun, or of feminine adjectives
    before a noun ("Южная Корея" -> "Южной Кореи", ...)."""
    words = name.split(" ")
    if len(words) == 1:
        return ru_cases(name) if re.fullmatch(r"[А-Яа-яЁё]+", name) else []
    if len(words) == 2 and words[0].endswith("ая") and re.fullmatch(r"[А-Яа-яЁё]+", words[1]):
        adj = words[0][:-2]
        noun = ru_cases(words[1])
        if len(noun) == 3:                      # -ия: gen/dat/prep, acc, instr
            return [adj + "ой " + noun[0], adj + "ую " + noun[1], adj + "ой " + noun[2]]
        if len(noun) == 4:                      # gen, dat/prep, acc, instr
            return [adj + "ой " + noun[0], adj + "ой " + noun[1], adj + "ую " + noun[2],
                    adj + "ой " + noun[3]]
    return []


def ru_adj(base):
    """Every form of a Russian adjective in -ский/-ской/-ий."""
    for end in ("ский", "ской", "ий"):
        if base.endswith(end):
            s = base[: -2]
            soft = end == "ий" and s[-1:] in "гкхжшчщ" or end != "ий"
            i = "и" if soft else "ы"
            return [s + e for e in ("ий" if end != "ской" else "ой", "ая", "ое", i + "е", "ого", "ой",
                                    "ому", i + "м", i + "х", "ую", "ом", i + "ми")]
    return [base]


def de_adj(base):
    return [base] + [base + e for e in ("e", "en", "er", "es", "em")]


def de_genitive(name):
    """"Russland" -> "Russlands": one word not ending in a sibilant or -e/-ei."""
    if " " in name or "-" in name or re.search(r"(s|ß|x|z|e|ei)$", name):
        return []
    return [name + "s"]


TR_BACK, TR_FRONT = set("aıou"), set("eiöü")


def tr_demonym(name):
    """Suriye -> Suriyeli, Irak -> Iraklı, Peru -> Perulu (vowel harmony)."""
    for ch in reversed(name.lower()):
        if ch in "aı":
            return name + "lı"
        if ch in "ei":
            return name + "li"
        if ch in "ou":
            return name + "lu"
        if ch in "öü":
            return name + "lü"
    return None


def en_plural(d):
    return [d + "s"] if re.search(r"(an|i)$", d) else []


# ---- ids ---------------------------------------------------------------------

def default_id(c):
    en = c.get("common_name") or c["name"]
    en = en.split(", ")[0]
    s = unicodedata.normalize("NFKD", en.lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build():
    countries, iso = iso_names()
    aliases = read_aliases()
    known = {c["alpha_2"] for c in countries}
    ids = {c["alpha_2"]: default_id(c) for c in countries}
    extra, demonyms, label_of = {}, {}, {}
    for code, lang, kind, names in aliases:
        if code not in known:
            sys.exit("country_aliases.tsv: unknown country code %s" % code)
        if kind == "id":
            ids[code] = names[0]
        elif kind == "label":
            label_of[(code, lang)] = names[0]
            extra.setdefault(code, {}).setdefault(lang, []).extend(names)
        elif kind == "name":
            extra.setdefault(code, {}).setdefault(lang, []).extend(names)
        elif kind == "demonym":
            demonyms.setdefault(code, {}).setdefault(lang, []).extend(names)
        else:
            forms = ru_adj if lang in ("ru", "uk") else de_adj
            for n in names:
                demonyms.setdefault(code, {}).setdefault(lang, []).extend(forms(n))
    if len(set(ids.values())) != len(ids):
        sys.exit("gen_countries: two countries share an id; give one an id row in country_aliases.tsv")

    # short forms before a comma ("Iran" of "Iran, Islamic Republic of"), kept
    # only where no other country has the same one ("Korea", "Congo")
    short = {}
    for c in countries:
        for lang in LANGS:
            for n in iso[c["alpha_2"]][lang]:
                if ", " in n:
                    short.setdefault((lang, fold(n.split(", ")[0])), set()).add(c["alpha_2"])
    claimed = {}
    for c in countries:
        for lang in LANGS:
            for n in iso[c["alpha_2"]][lang]:
                claimed.setdefault((lang, fold(n)), set()).add(c["alpha_2"])

    entities, people = [], []
    for c in countries:
        code = c["alpha_2"]
        english = iso_fields(c)
        names, labels = [], {}
        def add(n, lst=names):
            # one name per fold key, but a name iso-codes writes in lower
            # case ("науру") is kept beside the capitalised one ("Науру")
            if n and (fold(n), lower_initial(n)) not in {(fold(x), lower_initial(x)) for x in lst}:
                lst.append(n)
        for lang in LANGS:
            given = iso[code][lang]
            for n in extra.get(code, {}).get(lang, []) + given:
                add(n)
                bare = re.sub(r"\s*\([^)]*\)", "", n).strip()       # "Falkland Islands (Malvinas)"
                if bare != n and bare and claimed.get((lang, fold(bare)), {code}) == {code}:
                    add(bare)
            for n, en in zip(given, english + english):
                u = uninvert(n, en)
                if u:
                    add(u)
                if ", " in n and (u or re.search(r"\b(of|the|de|du|des|del|la)$", n)):
                    head = n.split(", ")[0]
                    if short[(lang, fold(head))] == {code} and claimed.get((lang, fold(head)), {code}) == {code}:
                        add(head)
            if lang in LABEL_LANGS:
                # a `label` row, else the shortest of the names iso-codes and
                # the alias list give, abbreviations and inverted forms aside
                pool = [n for n in extra.get(code, {}).get(lang, []) + given
                        if ", " not in n and not is_abbreviation(n)] or given
                labels[lang] = label_of.get((code, lang)) or min(pool, key=len)
        # inflected forms news needs: Russian cases, German genitive
        for n in list(names):
            if re.search(r"[А-Яа-яЁё]", n):
                for f in ru_forms(n):
                    add(f)
            elif re.fullmatch(r"[A-Za-zÄÖÜäöüß]+", n) and n in iso[code]["de"] + extra.get(code, {}).get("de", []):
                for f in de_genitive(n):
                    add(f)
        entities.append((ids[code], code, labels, names))
        dnames = []
        for lang, lst in demonyms.get(code, {}).items():
            for d in lst:
                add(d, dnames)
                if lang == "en":
                    for p in en_plural(d):
                        add(p, dnames)
        for n in iso[code]["tr"] + extra.get(code, {}).get("tr", []):
            if ", " not in n and not n.isupper() and len(n.split()) == 1:
                add(tr_demonym(n), dnames)
        if dnames:
            people.append((ids[code] + "_people", code, ids[code], dnames))
    return entities, people, iso, countries


def version():
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def is_abbreviation(n):
    """"ABD", "U.S.", "КНДР": counted only when written in capitals."""
    return len(n) <= 6 and n == n.upper() and n != n.lower()


def lower_initial(n):
    """iso-codes writes a few names with a small letter ("the State of
    Eritrea", "îles Cook"): those cannot require a capital."""
    return n[:1] != n[:1].upper()


def label_list(labels):
    return ", ".join("%s = %s" % (l, lua_str(labels[l])) for l in LABEL_LANGS if l in labels)


def emit(entities, people):
    w = sys.stdout.write
    w("-- GENERATED FILE: do not edit by hand.  Made by scripts/rules/gen/gen_countries.py\n")
    w("-- from Debian iso-codes %s (iso_3166-1.json and its translations in\n" % version())
    w("-- %s; LGPL-2.1-or-later, names used as data) and the hand-kept\n" % ", ".join(LANGS))
    w("-- scripts/rules/gen/country_aliases.tsv (the forms news uses: ABD, США, КНДР,\n")
    w("-- demonyms, ids).  To change it, edit the TSV and re-run:\n")
    w("--   python3 scripts/rules/gen/gen_countries.py > scripts/rules/country_names.lua\n")
    w("-- Every country and territory of ISO 3166-1, named in each language above, with\n")
    w("-- Russian case forms and German genitives; `labels` is its name per display language.\n")
    w("-- NORP entities (nationalities) are the people and adjective of a country (Suriyeli,\n")
    w("-- Syrian, syrisch, сирийский), linked to it by `country` (its id) and `iso`.\n")
    w("-- Country names count only when written with a capital (cap = true), so \"mali\"\n")
    w("-- (Turkish: financial) or \"turkey\" the bird are not countries; abbreviations\n")
    w("-- (ABD, US, КНДР) only in capitals (cap = \"all\"), so \"us\" and \"Us\" are not the USA.\n")
    w("return {\n")

    def country_rule(head, pick, every=False):
        """One COUNTRY rule: each entity with the names pick keeps (with
        every, also an entity left with none)."""
        w(head)
        for ident, code, labels, names in entities:
            kept = [n for n in names if pick(n)]
            if kept or every:
                w("    { id = %s, iso = %s, labels = { %s },\n      names = { %s } },\n"
                  % (lua_str(ident), lua_str(code), label_list(labels), ", ".join(lua_str(n) for n in kept)))
        w("  } },\n")

    country_rule('  { type = "COUNTRY", rule = "countries", suffixes = "tr", cap = true, entities = {\n',
                 lambda n: not is_abbreviation(n) and not lower_initial(n), every=True)
    country_rule('  { type = "COUNTRY", rule = "countries written in lower case", suffixes = "tr", entities = {\n',
                 lower_initial)
    country_rule('  { type = "COUNTRY", rule = "country abbreviations", cap = "all", entities = {\n',
                 is_abbreviation)
    w('  { type = "NORP", rule = "demonyms", suffixes = "tr", priority = 1, entities = {\n')
    for ident, code, country, names in people:
        w("    { id = %s, country = %s, iso = %s,\n      names = { %s } },\n"
          % (lua_str(ident), lua_str(country), lua_str(code), ", ".join(lua_str(n) for n in names)))
    w("  } },\n}\n")


def main():
    entities, people, iso, countries = build()
    if sys.argv[1:] == ["--names"]:
        for lang in LANGS:
            for c in countries:
                for n in iso[c["alpha_2"]][lang]:
                    sys.stdout.write("%s\t%s\t%s\n" % (lang, c["alpha_2"], n))
        return
    if sys.argv[1:]:
        sys.exit("usage: gen_countries.py [--names]")
    emit(entities, people)


if __name__ == "__main__":
    main()
