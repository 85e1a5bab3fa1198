-- newsdesk.help: the documentation lines help(x) shows at the prompt.
--
-- Plain data, so it can be generated from REFERENCE.md:
--   docs[name]  one line per function: "signature -- what it does".
--               Names are how a user writes them: "newsdesk.text.lower",
--               "db:search", "article:mentions", "rules:scan".
--   types[mt]   the name methods of objects with metatable mt are shown
--               under ("newsdesk.store" -> "db" gives "db:search").
--   overview    the text of help() with no argument.
return {
  overview = [[
newsdesk prompt: type a Lua statement or an expression to see its value.
  help(x)          the documentation of a newsdesk function, module or object:
                   help(newsdesk.text.lower), help(newsdesk.text), help(db),
                   help "db:search"
  newsdesk.<Tab>   the modules; db:<Tab> the store's methods; Tab completes
                   any global, field or method
  db               the store (--db PATH, $NEWSDESK_DB or ./newsdesk.db)
  Ctrl-C           stops a running statement; Ctrl-D leaves
Modules: newsdesk.text, newsdesk.dates, newsdesk.lang, newsdesk.rules,
newsdesk.pretty and the store functions newsdesk.open, db:..., article:...]],

  types = {
    ["newsdesk.store"] = "db",
    ["newsdesk.article"] = "article",
    ["newsdesk.rules"] = "rules",
  },

  docs = {
    ["newsdesk"] = "newsdesk -- the module: version, open, text, dates, lang, rules, pretty, ...",
    ["newsdesk.version"] = "newsdesk.version -- the library version, \"MAJOR.MINOR.PATCH\"",

    -- text
    ["newsdesk.text"] = "newsdesk.text -- UTF-8 checks, normalization, Turkish-aware case, folding, tokens, widths",
    ["newsdesk.text.valid"] = "newsdesk.text.valid(s) -> true | false, offset -- is s valid UTF-8 (offset of the first bad byte)",
    ["newsdesk.text.repair"] = "newsdesk.text.repair(s) -> string, n -- invalid UTF-8 replaced by U+FFFD (n replacements)",
    ["newsdesk.text.normalize"] = "newsdesk.text.normalize(s[, form]) -> string -- Unicode normalization, form \"NFC\" (default), \"NFD\", \"NFKC\", \"NFKD\"",
    ["newsdesk.text.lower"] = "newsdesk.text.lower(s[, lang]) -> string -- lower case; lang \"tr\"/\"az\" maps I to ı and İ to i",
    ["newsdesk.text.upper"] = "newsdesk.text.upper(s[, lang]) -> string -- upper case; lang \"tr\"/\"az\" maps i to İ and ı to I",
    ["newsdesk.text.fold"] = "newsdesk.text.fold(s[, opts]) -> string -- the match key: NFKC, case folded, marks stripped, quotes and dashes unified",
    ["newsdesk.text.tokens"] = "newsdesk.text.tokens(s) -> iterator -- words, numbers, URLs, e-mails with 1-based start/stop and apostrophe suffixes",
    ["newsdesk.text.len"] = "newsdesk.text.len(s) -> integer -- code points (an invalid byte counts as one)",
    ["newsdesk.text.graphemes"] = "newsdesk.text.graphemes(s) -> iterator -- user-perceived characters (extended grapheme clusters)",
    ["newsdesk.text.width"] = "newsdesk.text.width(s) -> integer -- terminal columns s takes (wide characters 2, marks 0)",
    ["newsdesk.text.sub"] = "newsdesk.text.sub(s, i[, j]) -> string -- like string.sub, counting characters instead of bytes",

    -- store
    ["newsdesk.open"] = "newsdesk.open([path][, {readonly=true}]) -> db | nil, message, code -- open or create an article store (in memory without path)",
    ["db:add"] = "db:add(article) -> id, status -- store an article table; exact duplicates are not stored again",
    ["db:get"] = "db:get(id) -> article | nil -- the article with that id",
    ["db:delete"] = "db:delete(id) -> boolean -- remove an article and its mentions",
    ["db:count"] = "db:count([query]) -> integer -- articles in the store (matching the full-text query)",
    ["db:transaction"] = "db:transaction(fn) -> ... -- run fn inside one transaction; rolled back if fn raises",
    ["db:articles"] = "db:articles([opts]) -> iterator -- every article, in id order",
    ["db:search"] = "db:search(query[, opts]) -> list -- full-text search (folded: case, Turkish I's and accents ignored)",
    ["db:sql"] = "db:sql(statement, ...) -> rows -- a read query with ? parameters; rows are tables",
    ["db:close"] = "db:close() -- close the store (also done when it is collected)",
    ["db:mentions"] = "db:mentions{type=, entity=, ...} -> rows -- mentions found by db:tag",
    ["db:ingest"] = "db:ingest(paths[, opts]) -> stats -- add the articles of files/directories (HTML dumps, CSV, JSON Lines); opts.progress",
    ["db:tag"] = "db:tag(rules[, query][, opts]) -> stats -- find mentions with a rule set and store them; opts.progress",
    ["article:mentions"] = "article:mentions() -> list -- the mentions stored for this article",

    -- dates and language
    ["newsdesk.dates"] = "newsdesk.dates -- publication dates in Turkish, English, German and Russian text",
    ["newsdesk.dates.parse"] = "newsdesk.dates.parse(s[, {lang=, ref=, day_first=}]) -> iso, parts | nil, message -- the first date in s",
    ["newsdesk.lang"] = "newsdesk.lang -- language identification",
    ["newsdesk.lang.detect"] = "newsdesk.lang.detect(s) -> code -- \"tr\", \"en\", \"de\", \"ru\", ... or \"und\"",

    -- rules
    ["newsdesk.rules"] = "newsdesk.rules -- entity rules matched on folded text, Turkish suffixes kept apart",
    ["newsdesk.rules.load"] = "newsdesk.rules.load(path_or_pack) -> rules | nil, message -- load a rule file or bundled pack",
    ["newsdesk.rules.new"] = "newsdesk.rules.new() -> rules -- an empty rule set",
    ["rules:add"] = "rules:add{type=, id=, names={...}} -- add a rule",
    ["rules:scan"] = "rules:scan(text_or_article) -> matches -- {type=, id=, text=, start=, stop=, suffix=, rule=, field=} each",
    ["rules:explain"] = "rules:explain(text) -> lines -- why each rule did or did not match",

    -- prompt helpers
    ["newsdesk.pretty"] = "newsdesk.pretty -- readable text for values (the prompt's printer)",
    ["newsdesk.pretty.format"] = "newsdesk.pretty.format(v[, {depth=, items=, width=}]) -> string -- nested tables, articles, aligned lists",
    ["newsdesk.pretty.print"] = "newsdesk.pretty.print(...) -- print each value formatted",
    ["newsdesk.repl"] = "newsdesk.repl -- the Lua side of the prompt: show, complete, help",
    ["newsdesk.repl.help"] = "help(x) -- the documentation line of a newsdesk function, a module's functions or an object's methods",
  },
}
