/* Ingest building blocks on strings: HTML, entities, CSV, encodings,
 * boilerplate rules and the page-dump extractor. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "newsdesk.h"
#include "nd_ingest.h"
#include "ingest_internal.h"
#include "tap.h"

static void add(nd_boilerplate *bp, int how, const char *p, int kind)
{
    nd_boilerplate_add(bp, how, p, strlen(p), kind);
}

static void test_html(void)
{
    nd_buf b = ND_BUF_INIT;
    const char *e = "Ankara&apos;da &#039;kar&#x27; &ccedil;&ouml;&uuml;&scedil;&gbreve; &amp;&nbsp;x";
    nd_html_decode_entities(&b, e, strlen(e));
    is_str(b.ptr, "Ankara'da 'kar' çöüşğ &\xc2\xa0x",
           "named, decimal and hex references decode, Turkish letters included");
    nd_html_decode_entities(&b, "&bogus; &#xZZ; & alone &#0;", 27);
    is_str(b.ptr, "&bogus; &#xZZ; & alone \xef\xbf\xbd", "unknown names stay as written; &#0; becomes U+FFFD");
    {
        const char *h = "<div><h1>Ba&scedil;l&#305;k</h1><p>Bir <b>iki</b>\n   üç.</p>"
                        "<script>var s = '<p>no</p>';</script><style>p{}</style>"
                        "<!-- <p>gone</p> --><ul><li>a</li><li>b<br/>c</li></ul></div>";
        nd_html_to_text(&b, h, strlen(h));
        is_str(b.ptr, "Başlık\n\nBir iki üç.\n\na\nb\nc",
               "tags go, blocks break lines, script/style/comments vanish, spaces collapse");
    }
    nd_html_to_text(&b, "x &lt; y <3 &nbsp; z", 20);
    is_str(b.ptr, "x < y <3 z", "a lone '<' is text and a no-break space collapses with others");
    ok(nd_html_has_tags("<p>a</p>", 8) && !nd_html_has_tags("a < b > c", 9), "tag sniffing");
    nd_buf_free(&b);
}

/* Character references as the HTML standard reads them. */
static void test_charrefs(void)
{
    static const struct { const char *in, *out; int attr; const char *what; } cases[] = {
        { "T\xc3\xbcrkiye&#146;nin", "T\xc3\xbcrkiye\xe2\x80\x99nin", 0, "&#146; is the Windows-1252 right quote" },
        { "&#150;&#x80;&#129;", "\xe2\x80\x93\xe2\x82\xac\xc2\x81", 0, "C1 remap; &#129; has none and stays U+0081" },
        { "&copy 2024 &amp co &nbsp;x", "\xc2\xa9 2024 & co \xc2\xa0x", 0, "legacy names without ';'" },
        { "&copy2024", "\xc2\xa9" "2024", 0, "in text a legacy name decodes before a digit" },
        { "&notit; &notin; &noti", "\xc2\xacit; \xe2\x88\x89 \xc2\xaci", 0, "longest match: &notin; vs &not" },
        { "a=1&copy=2&notx", "a=1&copy=2&notx", 1, "in an attribute, a legacy name before '=' or a letter stays" },
        { "&copy; &copy x", "\xc2\xa9 \xc2\xa9 x", 1, "in an attribute, a legacy name before a space decodes" },
        { "&apos; &ccedil; &CounterClockwiseContourIntegral; &NotEqualTilde;",
          "' \xc3\xa7 \xe2\x88\xb3 \xe2\x89\x82\xcc\xb8", 0, "HTML5-only, longest and two-code-point names" },
        { "&Copy; &bogus; &apos &#; &#x; &#xg; & x", "&Copy; &bogus; &apos &#; &#x; &#xg; & x", 0,
          "unknown names, &apos without ';' and digitless numbers stay as written" },
        { "&#0;&#xD800;&#x110000;&#99999999999999999999;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0,
          "null, surrogate and out-of-range references are U+FFFD" },
        { "&#65&#x42;C&#x43", "ABCC", 0, "numeric references may omit ';'" },
    };
    nd_buf b = ND_BUF_INIT;
    size_t i;
    for (i = 0; i < ND_ARRAY_LEN(cases); i++) {
        nd__html_decode_refs(&b, cases[i].in, strlen(cases[i].in), cases[i].attr);
        is_str(b.ptr, cases[i].out, cases[i].what);
    }
    nd_buf_free(&b);
}

/* tests/data/html5lib/charrefs.jsonl: cases from html5lib-tests. */
static void test_charrefs_conformance(void)
{
    FILE *f = fopen("tests/data/html5lib/charrefs.jsonl", "r");
    char line[512];
    nd_buf b = ND_BUF_INIT;
    int n = 0, bad = 0;
    ok(f != NULL, "the html5lib-tests fixture opens");
    while (f && fgets(line, sizeof line, f)) {
        json_t *j = json_loads(line, 0, NULL), *in, *out;
        if (!j || !(in = json_object_get(j, "in")) || !(out = json_object_get(j, "out"))) {
            bad++;
            json_decref(j);
            continue;
        }
        nd__html_decode_refs(&b, json_string_value(in), json_string_length(in),
                             (int)json_integer_value(json_object_get(j, "attr")));
        if (b.len != json_string_length(out) || memcmp(b.ptr, json_string_value(out), b.len) != 0) {
            fprintf(stderr, "# html5lib case %s: got \"%s\"\n", json_string_value(in), b.ptr);
            bad++;
        }
        n++;
        json_decref(j);
    }
    if (f)
        fclose(f);
    ok(n >= 100 && bad == 0, "all html5lib-tests character-reference cases decode as the standard says");
    nd_buf_free(&b);
}

static void test_csv(void)
{
    nd_csv_record r = ND_CSV_RECORD_INIT;
    size_t used = 0;
    const char *s = "a,\"b,\"\"q\"\"\nline\",,last\r\nnext";
    int rc = nd_csv_parse(&r, s, strlen(s), &used);
    ok(rc == ND_OK && r.n == 4, "a record with quoted comma, quote and line break has 4 fields");
    is_str(r.data.ptr + r.off[1], "b,\"q\"\nline", "quoted field keeps comma, doubled quote, newline");
    is_int(r.len[2], 0, "an empty field");
    is_str(r.data.ptr + r.off[3], "last", "CRLF ends the record");
    is_int(used, strlen(s) - 4, "used stops after the line break");
    rc = nd_csv_parse(&r, "\"open,", 6, &used);
    is_int(rc, ND_ELIMIT, "an open quote asks for more text");
    rc = nd_csv_parse(&r, "\"x\"y,z\n", 7, &used);
    ok(rc == ND_ESYNTAX && used == 3, "text after a closing quote is a syntax error at its byte");
    rc = nd_csv_parse(&r, "5\" screen,ok\n", 13, &used);
    ok(rc == ND_OK && r.n == 2 && strcmp(r.data.ptr + r.off[0], "5\" screen") == 0,
       "a quote inside an unquoted field is kept");
    rc = nd_csv_parse_ex(&r, "\"a\tb\"\t,c\t\r\nx", 12, ND_CSV_TAB, &used);
    ok(rc == ND_OK && r.n == 4 && strcmp(r.data.ptr + r.off[0], "\"a") == 0 &&
       strcmp(r.data.ptr + r.off[1], "b\"") == 0 && strcmp(r.data.ptr + r.off[2], ",c") == 0 && r.len[3] == 0,
       "ND_CSV_TAB: fields end at tabs, quotes and commas are text");
    is_int(used, 11, "ND_CSV_TAB: the record ends at its line break");
    nd_csv_record_free(&r);
    nd_csv_record_free(&r);
}

static void test_encoding(void)
{
    nd_buf b = ND_BUF_INIT;
    const char *det = NULL;
    /* "Işık ğüşö" in Windows-1254, with a curly quote (0x93) */
    const char cp[] = "I\xfe\xfdk \xf0\xfc\xfe\xf6 \x93x\x94";
    const char u16[] = "\xff\xfe" "K\0\x31\x01";      /* BOM + "Kı" */
    const char u16be[] = "\xfe\xff" "\0K\x01\x31";
    nd_text_decode(&b, cp, sizeof cp - 1, NULL, &det);
    is_str(b.ptr, "I\xc5\x9f\xc4\xb1k \xc4\x9f\xc3\xbc\xc5\x9f\xc3\xb6 \xe2\x80\x9cx\xe2\x80\x9d",
           "Windows-1254 detected and converted");
    is_str(det, "windows-1254", "bytes 0x80-0x9F mean Windows-1254");
    nd_text_decode(&b, "\xfe\xfd", 2, NULL, &det);
    is_str(det, "iso-8859-9", "without them, ISO-8859-9");
    nd_text_decode(&b, u16, sizeof u16 - 1, NULL, &det);
    ok(strcmp(b.ptr, "K\xc4\xb1") == 0 && strcmp(det, "utf-16le") == 0, "UTF-16LE with BOM");
    nd_text_decode(&b, u16be, sizeof u16be - 1, NULL, &det);
    ok(strcmp(b.ptr, "K\xc4\xb1") == 0 && strcmp(det, "utf-16be") == 0, "UTF-16BE with BOM");
    nd_text_decode(&b, "\xef\xbb\xbfok", 5, NULL, &det);
    ok(strcmp(b.ptr, "ok") == 0 && strcmp(det, "utf-8") == 0, "a UTF-8 BOM is dropped");
    nd_text_decode(&b, "g\xc3\xbc\xc3\xa7 \xff", 7, NULL, &det);
    is_str(det, "utf-8", "mostly valid UTF-8 stays UTF-8 (to be repaired, not reinterpreted)");
    nd_text_decode(&b, "\xdd", 1, "cp1254", &det);
    ok(strcmp(b.ptr, "\xc4\xb0") == 0 && strcmp(det, "windows-1254") == 0, "encoding= overrides detection");
    is_int(nd_text_decode(&b, "x", 1, "no-such-encoding", &det), ND_EINVAL, "an unknown encoding is refused");
    nd_buf_free(&b);
}

static void test_boilerplate(void)
{
    nd_boilerplate *bp = NULL;
    int kind;
    size_t value;
    const char *line;
    ok(nd_boilerplate_new(&bp) == ND_OK, "new rule set");
    add(bp, ND_BP_EXACT, "Bu haber toplam: # kişi tarafından görüldü.", ND_BP_DROP);
    add(bp, ND_BP_PREFIX, "Devamını oku", ND_BP_DROP);
    add(bp, ND_BP_PREFIX, "READ ", ND_BP_DROP);
    add(bp, ND_BP_PREFIX, "Kaynak:", ND_BP_SOURCE);
    add(bp, ND_BP_SUFFIX, "kez okundu", ND_BP_DROP);
    add(bp, ND_BP_CONTAINS, "image caption", ND_BP_DROP);
    is_int(nd_boilerplate_add(bp, ND_BP_EXACT, " \xe2\x80\xa2 ", 5, ND_BP_DROP), ND_EINVAL, "an empty pattern is refused");
    is_int(nd_boilerplate_count(bp), 6, "six rules");
    line = "BU HABER TOPLAM: 12.345 KİŞİ TARAFINDAN GÖRÜLDÜ.";
    nd_boilerplate_match(bp, line, strlen(line), &kind, &value);
    is_int(kind, ND_BP_DROP, "# matches a grouped number; case and diacritics ignored");
    line = "\xe2\x80\xa2 Devamını oku: Bir başka haber";
    nd_boilerplate_match(bp, line, strlen(line), &kind, &value);
    is_int(kind, ND_BP_DROP, "a leading bullet is skipped");
    line = "Ready for the weekend";
    nd_boilerplate_match(bp, line, strlen(line), &kind, &value);
    is_int(kind, 0, "prefix 'READ ' keeps its space: 'Ready' is not chrome");
    line = "Kaynak: Anadolu Ajansı";
    nd_boilerplate_match(bp, line, strlen(line), &kind, &value);
    ok(kind == ND_BP_SOURCE && strcmp(line + value, " Anadolu Ajansı") == 0,
       "a source prefix gives where the value starts in the original");
    line = "Bu yazı 1.204 kez okundu";
    nd_boilerplate_match(bp, line, strlen(line), &kind, &value);
    is_int(kind, ND_BP_DROP, "suffix rule");
    line = "Telif hakkı EPA Image caption Bir fotoğraf";
    nd_boilerplate_match(bp, line, strlen(line), &kind, &value);
    is_int(kind, ND_BP_DROP, "contains rule");
    is_int(nd_boilerplate_add(bp, ND_BP_PREFIX, "AA", 2, ND_BP_AGENCY), ND_EINVAL, "an agency is an exact name");
    is_int(nd_boilerplate_add(bp, ND_BP_EXACT, "(AGENCY)", 8, ND_BP_DATELINE), ND_EINVAL,
           "a dateline shape opens or closes a paragraph");
    is_int(nd_boilerplate_add(bp, ND_BP_PREFIX, "PLACE -", 7, ND_BP_DATELINE), ND_EINVAL,
           "a dateline shape names its AGENCY");
    is_int(nd_boilerplate_add(bp, ND_BP_EXACT, "AA", 2, ND_BP_AGENCY), ND_OK, "an agency");
    line = "AA";
    nd_boilerplate_match(bp, line, strlen(line), &kind, &value);
    is_int(kind, 0, "an agency is no line rule: a line 'AA' is left to the footer logic");
    nd_boilerplate_free(bp);
    nd_boilerplate_free(NULL);
}

/* Dateline shapes and agencies are rule data: only a listed agency makes a
 * dateline, and one added to the rules is picked up. */
static void test_dateline_rules(void)
{
    nd_boilerplate *bp = NULL;
    nd_extractor *ex = NULL;
    const nd_extracted *e;
    size_t n = 0;
    const char *t = "İZMİR (Ege Haber) - Körfez geçişi için yeni bir ihale açıldı.\n\n"
                    "İhale sonuçları gelecek ay açıklanacak.\n";
    nd_boilerplate_new(&bp);
    add(bp, ND_BP_EXACT, "AA", ND_BP_AGENCY);
    add(bp, ND_BP_PREFIX, "PLACE (AGENCY) -", ND_BP_DATELINE);
    nd_extractor_new(&ex, bp);
    nd_extract_story(ex, t, strlen(t), "tr", "İhale", 6, &n);
    e = nd_extract_get(ex, 0);
    ok(e && !e->source.ptr && e->body.len > 10 && memcmp(e->body.ptr, "İZMİR (Ege Haber) -", 20) == 0,
       "an agency the rules do not list makes no dateline");
    add(bp, ND_BP_EXACT, "Ege Haber", ND_BP_AGENCY);
    nd_extract_story(ex, t, strlen(t), "tr", "İhale", 6, &n);
    e = nd_extract_get(ex, 0);
    ok(e && e->source.len == 9 && memcmp(e->source.ptr, "Ege Haber", 9) == 0,
       "an agency added to the rules is the dateline's source");
    ok(e && e->body.len > 6 && memcmp(e->body.ptr, "Körfez", 7) == 0, "and its dateline left the body");
    nd_extractor_free(ex);
    nd_boilerplate_free(bp);
}

/* A Turkish page cut in the shape of a scraped dump: two articles. */
static const char page[] =
    "Liman şehrinde yeni feribot hattı açıldı\n"
    "\n"
    "Belediye, iki yaka arasında her yarım saatte bir sefer yapılacağını açıkladı.\n"
    "\n"
    "04.11.2024, Pts - 23:58\n"
    "\n"
    "Liman şehrinde yeni feribot hattı açıldı\n"
    "Haberi Paylaş\n"
    "\n"
    "İlk sefer sabah altıda kalktı ve yolcular ücretsiz taşındı.\n"
    "\n"
    "\xe2\x80\xa2 Devamını oku: Köprü tamiri uzuyor\n"
    "\n"
    "Hatta üç yeni gemi çalışacak, ikisi daha yıl sonunda gelecek.\n"
    "\n"
    "Kaynak: Anadolu Ajansı\n"
    "Bu haber toplam: 3008 kişi tarafından görüldü.\n"
    "Son Güncellenme:11:48:08\n"
    "Ayşe Kaya\n"
    "xKasım 18, 2024\n"
    "\n"
    "Haber Sitesi\n"
    "\n"
    "Türkiye'den ve dünyadan son haberler, yorumlar ve analizler bir arada sizlerle\n"
    "\n"
    "Kuzeyde kar yağışı yolları kapattı\n"
    "\n"
    "Kuzeyde kar yağışı yolları kapattı\n"
    "\n"
    "Gece boyunca süren kar nedeniyle köy yollarının çoğu ulaşıma kapandı.\n"
    "\n"
    "READ\xc2\xa0 Başka bir haber başlığı";

static int has(nd_str s, const char *needle)
{
    size_t n = strlen(needle), i;
    for (i = 0; s.ptr && i + n <= s.len; i++)
        if (memcmp(s.ptr + i, needle, n) == 0)
            return 1;
    return 0;
}

#define is_nd(got, want, ...) is_mem((got).ptr, (got).len, want, strlen(want), __VA_ARGS__)

static void test_extract(void)
{
    nd_boilerplate *bp = NULL;
    nd_extractor *ex = NULL;
    const nd_extracted *a, *b;
    size_t n = 0;
    nd_boilerplate_new(&bp);
    add(bp, ND_BP_EXACT, "Haberi Paylaş", ND_BP_DROP);
    add(bp, ND_BP_PREFIX, "Devamını oku", ND_BP_DROP);
    add(bp, ND_BP_PREFIX, "READ ", ND_BP_DROP);
    add(bp, ND_BP_SUFFIX, "tarafından görüldü.", ND_BP_DROP);
    add(bp, ND_BP_PREFIX, "Kaynak:", ND_BP_SOURCE);
    add(bp, ND_BP_PREFIX, "By ", ND_BP_AUTHOR);
    ok(nd_extractor_new(&ex, bp) == ND_OK, "new extractor");
    ok(nd_extract_page(ex, page, sizeof page - 1, "tr", &n) == ND_OK, "extract the page");
    is_int(n, 2, "two articles: each title is followed by its repeat");
    a = nd_extract_get(ex, 0);
    b = nd_extract_get(ex, 1);
    if (!a || !b)
        return;
    is_nd(a->title, "Liman şehrinde yeni feribot hattı açıldı", "first title");
    is_nd(a->date, "2024-11-04T23:58", "first date from the date line under the lede");
    is_nd(a->date_text, "04.11.2024, Pts - 23:58", "date_text as found");
    is_nd(a->source, "Anadolu Ajansı", "source from the Kaynak: rule");
    is_nd(a->author, "Ayşe Kaya", "author: the name in the footer");
    ok(has(a->body, "Belediye, iki yaka") && has(a->body, "ikisi daha yıl sonunda gelecek."),
       "body holds the lede and the last paragraph");
    ok(!has(a->body, "Paylaş") && !has(a->body, "Devam") && !has(a->body, "04.11.2024") &&
       !has(a->body, "toplam") && !has(a->body, "Güncellenme") && !has(a->body, "feribot hattı aç"),
       "no chrome, date line, counter, update line or repeated title in the body");
    is_nd(b->title, "Kuzeyde kar yağışı yolları kapattı", "second title");
    is_nd(b->date, "2024-11-18", "second date: the glued 'xKasım 18, 2024' line above it");
    is_nd(b->source, "Haber Sitesi", "second source: the site name in its header");
    ok(!b->author.ptr, "no author for the second");
    is_nd(b->body, "Gece boyunca süren kar nedeniyle köy yollarının çoğu ulaşıma kapandı.",
          "second body: one paragraph, related link and tagline left out");
    ok(a->raw_start == 0 && a->raw_stop == b->raw_start && b->raw_stop == sizeof page - 1,
       "the raw slices tile the page exactly");
    ok(memcmp(page + b->raw_start, "xKas", 4) == 0, "the second slice starts at its date line");

    /* no repeated title: a short line followed by a date line */
    {
        const char *en = "Flood walls hold in the old town\nBy Jane Doe\nNovember 18, 2024\n\n"
                         "Water stopped short of the main square on Sunday.\n\nShare\n";
        ok(nd_extract_page(ex, en, strlen(en), "en", &n) == ND_OK && n == 1, "one English article");
        a = nd_extract_get(ex, 0);
        is_nd(a->title, "Flood walls hold in the old town", "title before a byline and date");
        is_nd(a->author, "Jane Doe", "author from a 'By ' rule line under the title");
        is_nd(a->date, "2024-11-18", "English month-first date");
        is_nd(a->body, "Water stopped short of the main square on Sunday.", "body");
    }
    /* two stories, titles not repeated, each with its date line */
    {
        const char *two = "Storm Hits Coast\nJane Doe\nNovember 18, 2024\n\n"
                          "Waves flooded the harbour road overnight.\n\nShare\n\n"
                          "Council Approves New Budget\nNovember 19, 2024\n\n"
                          "The vote passed by twelve to three after a long debate.\n";
        ok(nd_extract_page(ex, two, strlen(two), "en", &n) == ND_OK && n == 2, "two stories found by their date lines");
        a = nd_extract_get(ex, 0);
        b = nd_extract_get(ex, 1);
        if (a && b) {
            is_nd(a->title, "Storm Hits Coast", "a Title Case title");
            is_nd(a->author, "Jane Doe", "the name between title and date is the author");
            is_nd(b->title, "Council Approves New Budget", "second title");
            is_nd(b->date, "2024-11-19", "second date");
            is_nd(b->body, "The vote passed by twelve to three after a long debate.", "second body");
        }
    }
    /* a menu line gives the site name; a second story without a date line
     * takes the page's date */
    {
        const char *pg = "Liman Postası | Gündem | Dünya | Spor\nKasım 19, 2024\n\n"
                         "Birinci haberin başlığı burada\n\nBirinci haberin başlığı burada\n\n"
                         "Birinci haberin tek paragrafı burada bitiyor.\n\n"
                         "İkinci haberin başlığı da burada\n\nİkinci haberin başlığı da burada\n\n"
                         "İkinci haberin paragrafı da kısa tutuldu.\n";
        ok(nd_extract_page(ex, pg, strlen(pg), "tr", &n) == ND_OK && n == 2, "two stories under one page date");
        a = nd_extract_get(ex, 0);
        b = nd_extract_get(ex, 1);
        if (a && b) {
            is_nd(a->source, "Liman Postası", "the site name is the menu line's first part");
            is_nd(b->date, "2024-11-19", "the second story takes the page date");
            is_nd(b->date_text, "Kasım 19, 2024", "and its date_text");
        }
    }
    ok(nd_extract_page(ex, "", 0, NULL, &n) == ND_OK && n == 0, "an empty page has no article");
    ok(nd_extract_page(ex, "\n \n\t\n", 5, NULL, &n) == ND_OK && n == 0, "a blank page has no article");
    nd_extractor_free(ex);
    nd_extractor_free(NULL);
    nd_boilerplate_free(bp);
}

/* Markup that is not the story, and text that only looks like markup. */
static void test_html_real(void)
{
    nd_buf b = ND_BUF_INIT;
    const char *h = "<div class=\"field-item even\"><a href=\"\"><img src=\"x.jpg\" align=\"left\" border=\"0\" /></a>"
                    "Haber &ouml;zeti.</div><figure><img alt=\"a > b\" src=\"y\"><figcaption>Alt yazı</figcaption></figure>"
                    "<iframe src=\"v\">video yok</iframe><p title=\"x>y\">Son.</p>";
    nd_html_to_text(&b, h, strlen(h));
    is_str(b.ptr, "Haber özeti.\n\nSon.",
           "images, figure captions and iframes are dropped; '>' inside a quoted attribute stays in the tag");
    ok(!nd_html_has_tags("a <b c", 6) && !nd_html_has_tags("x<y>z and 5 < 6 > 3", 19) &&
       !nd_html_has_tags("<3 <tag> <unknown>", 18),
       "a '<' before a word that is no HTML element is text, not markup");
    ok(nd_html_has_tags("<b>bold</b>", 11) && nd_html_has_tags("text <br/> more", 15) &&
       nd_html_has_tags("<!-- c -->", 10) && nd_html_has_tags("<DIV CLASS=x>", 13),
       "element tags, self-closing tags, comments and capitals are markup");
    nd_buf_free(&b);
}

/* A story with a known title: its text's repeated title, topic labels,
 * URL lines, datelines, captions and footers. */
static void test_story(void)
{
    nd_boilerplate *bp = NULL;
    nd_extractor *ex = NULL;
    const nd_extracted *e;
    size_t n = 0;
    const char *t1 = "Avrupa\n\nZirve sona erdi\n\nhttps://example.com/zirve\n\n"
                     "BERLIN, 4. November (Reuters) - Liderler ortak bir bildiri yayımladı.\n\n"
                     "Bildiri iklim ve ticaret başlıklarını içeriyor.\n\n"
                     "Fotoğraf: AA\nTürkiye\n";
    const char *t2 = "Der Rat tagte bis in die Nacht und vertagte sich dann.\n\n(red, 15.5.2016)\n";
    const char *t3 = "Kurze Meldung ohne Punkt\nZweite Zeile ohne Punkt";
    nd_boilerplate_new(&bp);
    add(bp, ND_BP_PREFIX, "Fotoğraf:", ND_BP_DROP);
    add(bp, ND_BP_EXACT, "Avrupa", ND_BP_DROP);
    add(bp, ND_BP_EXACT, "Reuters", ND_BP_AGENCY);   /* datelines are rule data too */
    add(bp, ND_BP_EXACT, "red", ND_BP_AGENCY);
    add(bp, ND_BP_PREFIX, "PLACE (AGENCY) -", ND_BP_DATELINE);
    add(bp, ND_BP_PREFIX, "PLACE, DATE (AGENCY) -", ND_BP_DATELINE);
    add(bp, ND_BP_SUFFIX, "(AGENCY, DATE)", ND_BP_DATELINE);
    nd_extractor_new(&ex, bp);
    ok(nd_extract_story(ex, t1, strlen(t1), "tr", "Zirve sona erdi", 15, &n) == ND_OK && n == 1, "one story");
    e = nd_extract_get(ex, 0);
    is_str(e->body.ptr ? e->body.ptr : "", "Liderler ortak bir bildiri yayımladı.\n\n"
           "Bildiri iklim ve ticaret başlıklarını içeriyor.",
           "the body: no label, repeated title, URL, dateline, photo line or one-word footer");
    ok(e->source.len == 7 && memcmp(e->source.ptr, "Reuters", 7) == 0, "the dateline's agency is the source");
    ok(e->date.ptr == NULL, "a dateline day without a year gives no date");
    ok(e->url.len == 25 && memcmp(e->url.ptr, "https://example.com/zirve", 25) == 0, "a URL line is the url");
    ok(e->title.ptr && strcmp(e->title.ptr, "Zirve sona erdi") == 0 && e->raw_start == 0 && e->raw_stop == strlen(t1),
       "the title is the given one, the raw slice the whole text");
    ok(nd_extract_story(ex, t2, strlen(t2), "de", "Rat", 3, &n) == ND_OK, "a story closed by an editorial dateline");
    e = nd_extract_get(ex, 0);
    ok(e->date.ptr && strncmp(e->date.ptr, "2016-05-15", e->date.len) == 0 && e->date.len == 10 &&
       e->source.len == 3 && memcmp(e->source.ptr, "red", 3) == 0,
       "'(red, 15.5.2016)' on its own line gives date and source");
    ok(nd_extract_story(ex, t3, strlen(t3), "de", "Meldung", 7, &n) == ND_OK, "a story without paragraphs");
    e = nd_extract_get(ex, 0);
    is_str(e->body.ptr ? e->body.ptr : "", "Kurze Meldung ohne Punkt\n\nZweite Zeile ohne Punkt",
           "a summary with no sentence end is still the body");
    nd_extractor_free(ex);
    nd_boilerplate_free(bp);
}

/* Topic labels in a page dump: not a source, not a new article. */
static void test_topic_labels(void)
{
    nd_extractor *ex = NULL;
    const nd_extracted *e;
    size_t n = 0;
    const char *pg = "Avrupa\n\nBakanlar Brüksel'de buluştu\n\nBakanlar Brüksel'de buluştu\n\n"
                     "Dışişleri bakanları Brüksel'de olağan toplantıda bir araya geldi.\n\n"
                     "Türkiye\n\nToplantıda enerji ve göç konuları ele alındı.\n\nDünya\nDHA\n";
    nd_extractor_new(&ex, NULL);
    ok(nd_extract_page(ex, pg, strlen(pg), "tr", &n) == ND_OK && n == 1, "topic labels between paragraphs start no article");
    e = nd_extract_get(ex, 0);
    ok(e && e->source.len == 3 && memcmp(e->source.ptr, "DHA", 3) == 0,
       "an acronym footer line is the agency; 'Dünya' and 'Avrupa' are not the source");
    ok(e && e->body.ptr && !strstr(e->body.ptr, "Türkiye\n") && strstr(e->body.ptr, "ele alındı."),
       "a one-word label inside the story leaves the body");
    nd_extractor_free(ex);
}

int main(void)
{
    test_html();
    test_charrefs();
    test_charrefs_conformance();
    test_csv();
    test_encoding();
    test_boilerplate();
    test_dateline_rules();
    test_extract();
    test_html_real();
    test_story();
    test_topic_labels();
    return tap_done();
}
