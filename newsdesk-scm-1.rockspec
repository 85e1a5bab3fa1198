-- LuaRocks package of newsdesk's Lua module (require "newsdesk").  Built by
-- the project's Makefile ("make rock"), against the system's SQLite,
-- utf8proc, jansson, libstemmer (Snowball) and hunspell; the Lua
-- parts of the library are compiled into the module, so it is one shared
-- object.  `make rockspec` writes the
-- versioned rockspec (newsdesk-VERSION-1.rockspec) from this one.
rockspec_format = "3.0"
package = "newsdesk"
version = "scm-1"
source = {
   url = "git+https://example.org/newsdesk.git",
}
description = {
   summary = "Multilingual news analysis: an article store with full-text search, Turkish-aware text and entity rules",
   detailed = [[
newsdesk stores news articles in SQLite with full-text search, normalizes
UTF-8 with utf8proc (Turkish dotted and dotless I, suffixes after
apostrophes), reads dates and languages, and finds entities with rule packs
that analysts write as Lua tables.  This rock installs the Lua module; the
newsdesk program, its REPL and the C library come with the Debian packages
or `make install`.
]],
   homepage = "https://example.org/newsdesk",
   license = "MIT",
   labels = { "text", "search", "sqlite", "nlp", "news" },
}
dependencies = {
   "lua >= 5.4, < 5.5",
}
external_dependencies = {
   SQLITE3 = { header = "sqlite3.h", library = "sqlite3" },
   UTF8PROC = { header = "utf8proc.h", library = "utf8proc" },
   JANSSON = { header = "jansson.h", library = "jansson" },
   LIBSTEMMER = { header = "libstemmer.h", library = "stemmer" },
   HUNSPELL = { header = "hunspell/hunspell.h", library = "hunspell" },
}
build = {
   type = "make",
   build_target = "rock",
   build_variables = {
      CFLAGS = "$(CFLAGS)",
      LIBFLAG = "$(LIBFLAG)",
      LUA = "$(LUA)",
      LUA_INCDIR = "$(LUA_INCDIR)",
      SQLITE3_INCDIR = "$(SQLITE3_INCDIR)",
      SQLITE3_LIBDIR = "$(SQLITE3_LIBDIR)",
      UTF8PROC_INCDIR = "$(UTF8PROC_INCDIR)",
      UTF8PROC_LIBDIR = "$(UTF8PROC_LIBDIR)",
      JANSSON_INCDIR = "$(JANSSON_INCDIR)",
      JANSSON_LIBDIR = "$(JANSSON_LIBDIR)",
      LIBSTEMMER_INCDIR = "$(LIBSTEMMER_INCDIR)",
      LIBSTEMMER_LIBDIR = "$(LIBSTEMMER_LIBDIR)",
      HUNSPELL_INCDIR = "$(HUNSPELL_INCDIR)/hunspell",
      HUNSPELL_LIBDIR = "$(HUNSPELL_LIBDIR)",
   },
   install_target = "rock-install",
   install_variables = {
      INST_LIBDIR = "$(LIBDIR)",
   },
   copy_directories = { "scripts" },
}
