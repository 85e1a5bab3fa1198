# newsdesk — a small, fast C library for analysing multilingual news from Lua.
#
#   make            build/libnewsdesk.{a,so}, build/newsdesk.so (Lua module), build/newsdesk
#   make test       every test; ends with "N passed, N failed"
#   make demo       the main job on the bundled sample corpus
#   make test-browser  the demo's HTML report checked in headless Chromium
#   make bench      speed figures beside baselines run in the same process
#   make bench-ingest-rss  peak memory of ingesting 1 GB of JSON Lines (RSS_BYTES=)
#   make asan       the whole suite under AddressSanitizer + UBSan (build-asan/)
#   make ubsan      the whole suite under UBSan alone (build-ubsan/)
#   make tsan       the runtime and ingest thread tests under ThreadSanitizer (build-tsan/)
#   make leakcheck  the C tests under valgrind
#   make fuzz       every libFuzzer target for FUZZ_SECONDS each
#   make install    PREFIX=/usr/local
#   make package    Debian packages and the LuaRocks rock (make test-package tests them)
#   make test-scale the scale-out recipes (GNU parallel, Dask, Slurm, Hadoop's shuffle) against one process
#   make scale-measure  the scale-out figures (200,000 articles: one process, parallel, Dask, Slurm)
#   make merge-measure  merging two stores beside re-ingesting and re-tagging
#
# Sources are found by name: core/*.c and bindings/*.c make the Lua module
# (the C core and the Lua C modules); with bindings/host/*.c (the runtime,
# sandbox, REPL and mapper) they make the library, and bindings/host/main.c
# is the program; tests/c/test_*.c are C tests,
# tests/lua/test_*.lua Lua tests, tests/cli/test_*.sh end-to-end tests,
# tests/bench/bench_*.c benchmarks and tests/fuzz/fuzz_*.c fuzz targets.

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
FUZZ_SECONDS ?= 60
LUA     ?= lua5.4

PKGS     = lua5.4 sqlite3 libutf8proc jansson libedit hunspell
DEB_PKGS = build-essential pkg-config lua5.4 liblua5.4-dev libsqlite3-dev \
           libutf8proc-dev libjansson-dev libedit-dev libstemmer-dev unicode-data bzip2 python3 sqlite3 \
           iso-codes unicode-cldr-core python3-langdetect \
           libhunspell-dev hunspell-tr hunspell-en-us hunspell-de-de hunspell-ru

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wwrite-strings -Wundef -Werror=implicit-function-declaration
# Recursive (=) so pkg-config runs after the dependency check installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm
NOLUA_LIBS = $(shell pkg-config --libs sqlite3 libutf8proc jansson hunspell) -lm
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -fPIC -fvisibility=hidden -Iinclude $(INC) \
             $(WARN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
# Include paths by folder, each only what it may use: core/ its internal
# headers; bindings/ (the Lua modules) lnd.h and the core-facing glue in
# core/glue/, never core/*_internal.h; bindings/host/ also its own headers.
# Tests, benchmarks and generated sources see everything.
INC = -Icore -Icore/glue -Ibindings
$(BUILD)/core/%.o: INC = -Icore
$(BUILD)/bindings/%.o: INC = -Ibindings -Icore/glue
$(BUILD)/bindings/host/%.o: INC = -Ibindings/host -Ibindings -Icore/glue

SOMAJOR = $(firstword $(subst ., ,$(VERSION)))
VERSION = $(shell sed -n 's/^\#define ND_VERSION_STRING "\(.*\)"/\1/p' include/nd_core.h)

CORE_SRC  = $(wildcard core/*.c)
BIND_SRC  = $(wildcard bindings/*.c)
HOSTLIB_SRC = $(filter-out bindings/host/main.c,$(wildcard bindings/host/*.c))
LUA_SRC   = $(shell find scripts/lib scripts/boilerplate scripts/rules -name '*.lua' 2>/dev/null | sort) REFERENCE.md
MOD_OBJ   = $(CORE_SRC:%.c=$(BUILD)/%.o) $(BIND_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o \
            $(BUILD)/gen/lang_model.o $(BUILD)/gen/tr_roots_data.o
LIB_OBJ   = $(MOD_OBJ) $(HOSTLIB_SRC:%.c=$(BUILD)/%.o)
TEST_BIN  = $(patsubst tests/c/%.c,$(BUILD)/tests/%,$(wildcard tests/c/test_*.c)) \
            $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/tests/test_fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
BENCH_BIN = $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/bench_*.c))
HOST_SRC  = $(wildcard tests/host/*.c)

LIBA  = $(BUILD)/libnewsdesk.a
LIBSO = $(BUILD)/libnewsdesk.so
LUAMOD = $(BUILD)/newsdesk.so
PROG  = $(BUILD)/newsdesk
HOST_BIN = $(BUILD)/host/host
DEPS_OK = $(BUILD)/.deps-ok

.PHONY: all deps test check demo bench bench-ingest-rss bench-gumbo lang-eval lang-eval-compare ner-eval search-eval-ud asan tsan ubsan leakcheck \
        fuzz fuzz-build fuzz-smoke install uninstall clean rock rock-install rockspec package test-package \
        test-scale scale-measure merge-measure test-browser

all: $(LIBA) $(LIBSO) $(LUAMOD) $(PROG) $(TEST_BIN) $(BUILD)/lang/lang_eval $(BUILD)/newsdesk.pc $(HOST_BIN)

# ---- system dependencies ------------------------------------------------
# Installs what is missing with apt-get when run as root on Debian; otherwise
# prints the exact command and stops.
# $(call need_debs,PACKAGES): a shell command that installs the packages
# that are missing (apt-get, as root), or names them and fails.
need_debs = missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "newsdesk: installing$$missing"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$$missing || exit 1; \
	  else \
	    echo "newsdesk needs these Debian packages:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

deps: $(DEPS_OK)
$(DEPS_OK): Makefile
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  $(call need_debs,$(DEB_PKGS)); \
	elif ! pkg-config --exists $(PKGS); then \
	  echo "newsdesk needs pkg-config modules: $(PKGS)"; exit 1; \
	fi
	@mkdir -p $(BUILD) && touch $@

# ---- library, module, program ------------------------------------------
$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/embedded.c: bindings/embed.lua $(LUA_SRC) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(LUA) bindings/embed.lua $@ $(LUA_SRC)

# The HTML character-reference tables, from the WHATWG list Python ships.
$(BUILD)/gen/html_entities.h: core/textgen/gen_entities.py | $(DEPS_OK)
	@mkdir -p $(dir $@)
	python3 core/textgen/gen_entities.py $@

$(BUILD)/core/html.o: ALL_CFLAGS += -I$(BUILD)/gen
$(BUILD)/core/html.o: $(BUILD)/gen/html_entities.h

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The language model of core/lang.c, made from the n-gram profiles Debian
# ships in python3-langdetect (Apache-2.0) and core/langgen/az.txt; no line
# of the evaluation data (tests/data/lang) trains it.
LANG_PROFILES ?= /usr/lib/python3/dist-packages/langdetect/profiles

$(BUILD)/gen/lang_model.c: core/langgen/gen_lang.py core/langgen/az.txt $(wildcard tests/data/lang/*/*.txt) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	python3 core/langgen/gen_lang.py $(LANG_PROFILES) core/langgen/az.txt tests/data/lang $@

$(BUILD)/gen/lang_model.o: $(BUILD)/gen/lang_model.c core/lang_model.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The Turkish root list of core/tr_roots.c, from the word list and affix
# file of Debian's hunspell-tr (LibreOffice's Turkish dictionary, MPL-2.0),
# which `deps` installs.
TR_DIC ?= /usr/share/hunspell/tr_TR.dic

$(BUILD)/gen/tr_roots_data.c: core/textgen/gen_tr_roots.py | $(DEPS_OK)
	@mkdir -p $(dir $@)
	python3 core/textgen/gen_tr_roots.py $(TR_DIC) $(TR_DIC:.dic=.aff) $@

$(BUILD)/gen/tr_roots_data.o: $(BUILD)/gen/tr_roots_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# Each shared object exports only its API (bindings/export-*.map).
$(LIBSO): $(LIB_OBJ) bindings/export-lib.map
	$(CC) -shared -Wl,-soname,libnewsdesk.so.$(SOMAJOR) -Wl,--version-script=bindings/export-lib.map \
	  -o $@ $(LIB_OBJ) $(LDFLAGS) $(PKG_LIBS)
	ln -sf libnewsdesk.so $@.$(SOMAJOR)

# The Lua C module: the core and the modules, no host (runtime, sandbox,
# REPL, libedit) and no liblua: the interpreter that loads it provides Lua.
$(LUAMOD): $(MOD_OBJ) bindings/export-luamod.map
	$(CC) -shared -Wl,--version-script=bindings/export-luamod.map -o $@ $(MOD_OBJ) $(LDFLAGS) $(NOLUA_LIBS)

# The program links every library statically: loading 16 shared objects
# (libstdc++ for hunspell, libedit's three) made `newsdesk -e ''` cost 3x
# lua5.4's start-up, nearly all of it in the dynamic loader, and Debian's
# libsqlite3.so alone (bound at load, BIND_NOW: 1,600 symbol look-ups) cost
# 0.8 million instructions of 2.2 (tests/bench/bench_cli.sh, callgrind).  It
# stays position-independent: libstemmer, whose tables carried 22,000
# relocations written at every start, is not linked; core/fts.c opens it
# with dlopen when a Snowball stemmer is first needed.  The exported Lua API serves C
# modules loaded by require; SQLite's is exported too, so a module linked
# with libsqlite3.so binds to this one copy (two copies in one process would
# break each other's POSIX locks).  Sanitizer builds and PROG_LINK=shared
# (the Debian package) keep the shared libraries.
PROG_STATIC_LIBS = -Wl,--export-dynamic-symbol=lua_* -Wl,--export-dynamic-symbol=luaL_* -Wl,--export-dynamic-symbol=sqlite3_* \
  -Wl,-Bstatic -llua5.4 -lutf8proc -ljansson -ledit -ltinfo -lbsd -lmd \
  -lhunspell-1.7 -lstdc++ -lsqlite3 -Wl,-Bdynamic -static-libgcc -lm -ldl
# PROG_LINK=shared (the Debian package: security updates of the libraries
# must reach the program) links them all shared.
PROG_LIBS = $(if $(or $(findstring -fsanitize,$(LDFLAGS)),$(filter shared,$(PROG_LINK))),$(PKG_LIBS),$(PROG_STATIC_LIBS))
$(PROG): $(BUILD)/bindings/host/main.o $(LIBA)
	$(CC) -o $@ $^ $(LDFLAGS) $(PROG_LIBS)

# ---- tests ---------------------------------------------------------------
$(BUILD)/tests/%: tests/c/%.c tests/c/tap.h $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/c -o $@ $< $(LIBA) $(LDFLAGS) $(PKG_LIBS)

# Each fuzz target also runs as a test over its seeds and regression inputs.
$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBA) $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/bench/%: tests/bench/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/bench -o $@ $< $(LIBA) $(LDFLAGS) $(PKG_LIBS)

test check: all
	@BUILD=$(BUILD) sh tests/run.sh

demo: all
	$(PROG) run scripts/demo.lua

# The demo's HTML report in Debian's headless Chromium at 1400 and 600 px
# (tests/browser/test_report_browser.sh), with screenshots in $(BUILD)/.
# Chromium is installed like every other dependency; where it cannot be,
# the test says it was skipped and does not fail.
BROWSER_DEBS = chromium fonts-dejavu-core
test-browser: demo
	@if command -v dpkg-query >/dev/null 2>&1 && ! ( $(call need_debs,$(BROWSER_DEBS)) ); then \
	  echo "SKIP: test-browser: chromium could not be installed; the browser test did not run"; \
	else \
	  BUILD=$(BUILD) sh tests/browser/test_report_browser.sh; \
	fi

# Name discovery measured on the gold NER samples in tests/data/ner/ (the
# test part of each; see tests/ner_eval.lua and the README's "Entity rules").
ner-eval: all
	$(PROG) run tests/ner_eval.lua --part test
	$(PROG) run tests/ner_eval.lua --part test --context 20

# Search recall and precision on real sentences: the Universal Dependencies
# extracts committed in tests/search/ud/ (CC BY-SA 4.0; see the README's
# "Search").  UD_LOCAL: more fixtures of the same form kept outside the
# repository (a treebank whose licence forbids committing it).
search-eval-ud: all
	$(PROG) run tests/search/ud.lua tests/search/ud/tr_boun_dev.txt tests/search/ud/tr_boun_dev2.txt tests/search/ud/ru_gsd_dev.txt \
	  tests/search/ud/ru_gsd_dev2.txt tests/search/ud/tr_boun_heldout.txt tests/search/ud/tr_boun_heldout2.txt \
	  tests/search/ud/ru_gsd_heldout.txt tests/search/ud/ru_gsd_heldout2.txt $(UD_LOCAL)

bench: all $(BENCH_BIN)
	@$(call need_debs,lua-cjson)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done
	@for s in tests/bench/bench_*.sh; do [ -f "$$s" ] || continue; echo "== $$s"; BUILD=$(BUILD) sh $$s || exit 1; done

# Peak memory of `newsdesk ingest` on RSS_BYTES of generated JSON Lines
# (written to /tmp and removed after; `make bench` runs 100 MB of it).
RSS_BYTES ?= 1000000000
bench-ingest-rss: all $(BUILD)/bench/bench_ingest
	@RSS_ONLY=1 RSS_BYTES=$(RSS_BYTES) BUILD=$(BUILD) sh tests/bench/bench_ingest.sh

# ---- language identification, measured on public data (tests/data/lang) --
# `make lang-eval` prints the table of nd_lang_detect on the held-out half;
# `make lang-eval-compare` also builds in the Debian libraries CLD2 and
# libexttextcat (installing libcld2-dev libexttextcat-dev libexttextcat-data
# as `make deps` would) and prints the same table for each.
LANG_EVAL_PKGS = libcld2-dev libexttextcat-dev libexttextcat-data

$(BUILD)/lang/lang_eval: tests/lang/lang_eval.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBA) $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/lang/lang_eval_compare: tests/lang/lang_eval.c tests/lang/lang_eval_cld2.cc $(LIBA)
	@$(MAKE) --no-print-directory deps DEPS_OK=$(BUILD)/.deps-lang-eval DEB_PKGS="$(LANG_EVAL_PKGS)"
	@mkdir -p $(dir $@)
	$(CXX) -O2 -c -o $(BUILD)/lang/lang_eval_cld2.o tests/lang/lang_eval_cld2.cc
	$(CC) $(ALL_CFLAGS) -DND_EVAL_CLD2 -DND_EVAL_TEXTCAT $$(pkg-config --cflags libexttextcat) \
	  -o $@ $< $(BUILD)/lang/lang_eval_cld2.o $(LIBA) $(LDFLAGS) $(PKG_LIBS) \
	  $$(pkg-config --libs libexttextcat) -lcld2 -lstdc++

lang-eval: $(BUILD)/lang/lang_eval
	$(BUILD)/lang/lang_eval --split test

lang-eval-compare: $(BUILD)/lang/lang_eval_compare
	@for e in nd cld2 textcat; do $(BUILD)/lang/lang_eval_compare --engine $$e --split test || exit 1; echo; done

# The libgumbo comparison behind the hand-written HTML converter (README,
# "Ingest"); installs libgumbo-dev, which newsdesk itself does not need.
bench-gumbo: all
	@$(call need_debs,libgumbo-dev)
	@mkdir -p $(BUILD)/bench
	$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags gumbo) -o $(BUILD)/bench/compare_gumbo tests/bench/compare_gumbo.c \
	  $(LIBA) $(LDFLAGS) $(PKG_LIBS) $$(pkg-config --libs gumbo)
	$(BUILD)/bench/compare_gumbo tests/data/html5lib/charrefs.jsonl

# UndefinedBehaviorSanitizer alone (make asan runs it with AddressSanitizer).
ubsan:
	$(MAKE) BUILD=build-ubsan \
	  CFLAGS="-O1 -g -fsanitize=undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=undefined" test

asan:
	$(MAKE) BUILD=build-asan ND_SANITIZE=1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" test

# make test-scale: the README's scale-out recipes on a generated corpus
# (SCALE_ARTICLES, default 6000) must equal the single-process result.
SCALE_PKGS = parallel python3-distributed slurm-wlm munge
test-scale: all
	@$(call need_debs,$(SCALE_PKGS))
	@BUILD=$(BUILD) sh tests/scale/test_scale.sh

# make scale-measure: the README's scale-out figures (SCALE_MEASURE_ARTICLES,
# default 200000): one job single-process, parallel -j2, Dask, Slurm, a few
# minutes; ROUNDS=3 runs every way three times and reports medians.  make merge-measure: merging two stores beside re-ingest and
# re-tag (about 10 minutes).  Wall times: run them on an idle machine.
scale-measure: all
	@$(call need_debs,$(SCALE_PKGS) time)
	@BUILD=$(BUILD) scripts/scale/measure.sh $(SCALE_MEASURE_ARTICLES)

merge-measure: all
	@$(call need_debs,time)
	@BUILD=$(BUILD) scripts/scale/measure.sh merge $(SCALE_MEASURE_ARTICLES)

# Two runtimes in two threads and an interrupt from a third, and ingest with
# worker threads: ThreadSanitizer reports any data race (halt_on_error makes
# one a failure).
tsan:
	$(MAKE) BUILD=build-tsan ND_SANITIZE=1 CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" \
	  build-tsan/tests/test_runtime_threads build-tsan/tests/test_ingest_threads
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" BUILD=build-tsan sh tests/run.sh \
	  'test_runtime_threads\|test_ingest_threads'

leakcheck: all
	@BUILD=$(BUILD) ND_VALGRIND=1 sh tests/run.sh

# ---- fuzzing (clang + libFuzzer) -----------------------------------------
# The library is rebuilt with clang in build-fuzz/; each tests/fuzz/fuzz_X.c
# becomes build-fuzz/fuzz/fuzz_X.  Seeds live in tests/fuzz/corpus/X/; new
# inputs found go to build-fuzz/corpus/X/ so the tree stays clean.
FUZZ_SRC   = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=clang ND_SANITIZE=1 DEB_PKGS="$(DEB_PKGS) clang libclang-rt-14-dev" \
	  CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" LDFLAGS="-fsanitize=address,undefined" \
	  build-fuzz/libnewsdesk.a
	@mkdir -p build-fuzz/fuzz
	@for n in $(FUZZ_NAMES); do \
	  clang $(FUZZ_FLAGS) -fsanitize=fuzzer -Iinclude $(INC) -Itests/fuzz $(PKG_CFLAGS) \
	    -o build-fuzz/fuzz/fuzz_$$n tests/fuzz/fuzz_$$n.c build-fuzz/libnewsdesk.a $(PKG_LIBS) || exit 1; \
	done

# make fuzz FUZZ_SECONDS=600 for a longer run; fuzz-smoke is CI's brief one.
fuzz: fuzz-build
	@fail=0; for n in $(FUZZ_NAMES); do \
	  mkdir -p build-fuzz/corpus/$$n tests/fuzz/corpus/$$n; \
	  if build-fuzz/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(FUZZ_ARGS) \
	       -artifact_prefix=build-fuzz/crash-$$n- \
	       build-fuzz/corpus/$$n tests/fuzz/corpus/$$n >build-fuzz/fuzz_$$n.log 2>&1; then \
	    echo "fuzz_$$n: $$(sed -n 's/^stat::number_of_executed_units: *//p' build-fuzz/fuzz_$$n.log) executions in $(FUZZ_SECONDS)s"; \
	  else \
	    echo "fuzz_$$n: FAILED (log: build-fuzz/fuzz_$$n.log)"; tail -40 build-fuzz/fuzz_$$n.log; fail=1; \
	  fi; \
	done; exit $$fail

# CI's run uses a fixed seed: the same mutations every time (a slower
# machine runs a prefix of them), so a submission's CI result does not
# depend on luck; `make fuzz` explores with a fresh seed each run.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=$${FUZZ_SMOKE_SECONDS:-10} FUZZ_ARGS=-seed=1

# ---- install ---------------------------------------------------------------
# make install PREFIX=/usr/local [DESTDIR=/tmp/stage]: headers in
# $(PREFIX)/include/newsdesk, libnewsdesk.{a,so} (soname links) and
# newsdesk.pc in $(LIBDIR), the Lua module where lua5.4 looks for C modules
# ($(LUA_CMOD): Debian's INSTALL_CMOD for PREFIX=/usr, else
# $(PREFIX)/lib/lua/5.4, which stock lua5.4 searches for /usr/local), the
# program and its man page.  The example host (tests/host) is built with
# pkg-config against build/newsdesk.pc, as a user's application would be.
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include/newsdesk
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
LUA_CMOD ?= $(if $(filter $(PREFIX),$(shell pkg-config --variable=prefix lua5.4 2>/dev/null)),$(shell pkg-config --variable=INSTALL_CMOD lua5.4),$(PREFIX)/lib/lua/5.4)
PC_GEN    = sed -e 's|@PREFIX@|$(1)|' -e 's|@LIBDIR@|$(2)|' -e 's|@INCLUDEDIR@|$(3)|' -e 's|@VERSION@|$(VERSION)|'
HOST_PKG  = PKG_CONFIG_PATH=$(abspath $(BUILD)) pkg-config

$(BUILD)/newsdesk.pc: bindings/newsdesk.pc.in include/nd_core.h | $(DEPS_OK)
	$(call PC_GEN,$(abspath $(BUILD)),$(abspath $(BUILD)),$(abspath include)) $< >$@

$(HOST_BIN): $(HOST_SRC) $(BUILD)/newsdesk.pc $(LIBSO)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) $$($(HOST_PKG) --cflags newsdesk) -o $@ $(HOST_SRC) \
	  $(LDFLAGS) $$($(HOST_PKG) --libs newsdesk) -Wl,-rpath,$(abspath $(BUILD))

install: all
	install -d $(DESTDIR)$(INCDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(BINDIR) $(DESTDIR)$(LUA_CMOD)
	install -m 644 include/*.h $(DESTDIR)$(INCDIR)/
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/libnewsdesk.a
	install -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/libnewsdesk.so.$(VERSION)
	ln -sf libnewsdesk.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libnewsdesk.so.$(SOMAJOR)
	ln -sf libnewsdesk.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libnewsdesk.so
	$(call PC_GEN,$(PREFIX),$(LIBDIR),$(INCDIR)) bindings/newsdesk.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/newsdesk.pc
	install -m 755 $(LUAMOD) $(DESTDIR)$(LUA_CMOD)/newsdesk.so
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/newsdesk
	if [ -f bindings/newsdesk.1 ]; then install -d $(DESTDIR)$(MANDIR)/man1 && \
	  install -m 644 bindings/newsdesk.1 $(DESTDIR)$(MANDIR)/man1/newsdesk.1; fi

uninstall:
	rm -rf $(DESTDIR)$(INCDIR)
	rm -f $(DESTDIR)$(LIBDIR)/libnewsdesk.a $(DESTDIR)$(LIBDIR)/libnewsdesk.so \
	  $(DESTDIR)$(LIBDIR)/libnewsdesk.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libnewsdesk.so.$(VERSION) \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/newsdesk.pc $(DESTDIR)$(LUA_CMOD)/newsdesk.so \
	  $(DESTDIR)$(BINDIR)/newsdesk $(DESTDIR)$(MANDIR)/man1/newsdesk.1

# ---- packages ----------------------------------------------------------------
# make rock          the Lua module as LuaRocks builds it (newsdesk-scm-1.rockspec
#                    calls this with its paths; no pkg-config, no apt-get)
# make rockspec      $(BUILD)/newsdesk-$(VERSION)-1.rockspec from the scm one
# make package       the four Debian packages (in $(BUILD)/deb) and the rock
# make test-package  installs both in this machine, runs their smoke tests,
#                    removes them and checks that nothing is left behind
ROCK_BUILD = build-rock
ROCK_CFLAGS = -I$(LUA_INCDIR) -I$(SQLITE3_INCDIR) -I$(UTF8PROC_INCDIR) -I$(JANSSON_INCDIR) \
              -I$(LIBSTEMMER_INCDIR) -I$(HUNSPELL_INCDIR)
ROCK_LIBS = -L$(SQLITE3_LIBDIR) -L$(UTF8PROC_LIBDIR) -L$(JANSSON_LIBDIR) -L$(LIBSTEMMER_LIBDIR) \
            -L$(HUNSPELL_LIBDIR) -lsqlite3 -lutf8proc -ljansson -lhunspell -lm
PKG_TOOLS = debhelper dpkg-dev fakeroot lintian luarocks
DEB_OUT   = $(BUILD)/deb

rock:
	$(MAKE) BUILD=$(ROCK_BUILD) DEPS_OK= LUA="$(LUA)" PKG_CFLAGS="$(ROCK_CFLAGS)" NOLUA_LIBS="$(ROCK_LIBS)" \
	  CFLAGS="$(CFLAGS)" $(ROCK_BUILD)/newsdesk.so

rock-install:
	install -d $(INST_LIBDIR)
	install -m 755 $(ROCK_BUILD)/newsdesk.so $(INST_LIBDIR)/newsdesk.so

rockspec: $(BUILD)/newsdesk-$(VERSION)-1.rockspec
$(BUILD)/newsdesk-$(VERSION)-1.rockspec: newsdesk-scm-1.rockspec include/nd_core.h
	@mkdir -p $(BUILD)
	sed -e 's/^version = "scm-1"/version = "$(VERSION)-1"/' \
	    -e 's|^   url = "\(git+[^"]*\)",|   url = "\1",\n   tag = "v$(VERSION)",|' $< >$@

package: rockspec
	@$(call need_debs,$(PKG_TOOLS) $(DEB_PKGS))
	dpkg-buildpackage -us -uc -b -j$$(nproc)
	@mkdir -p $(DEB_OUT)
	mv ../newsdesk_$(VERSION)_*.deb ../newsdesk-dbgsym_$(VERSION)_*.deb ../libnewsdesk0_$(VERSION)_*.deb \
	   ../libnewsdesk0-dbgsym_$(VERSION)_*.deb ../libnewsdesk-dev_$(VERSION)_*.deb ../lua-newsdesk_$(VERSION)_*.deb \
	   ../lua-newsdesk-dbgsym_$(VERSION)_*.deb ../newsdesk_$(VERSION)_*.buildinfo ../newsdesk_$(VERSION)_*.changes \
	   $(DEB_OUT)/ 2>/dev/null || true
	lintian --fail-on error $(DEB_OUT)/newsdesk_$(VERSION)_*.changes
	luarocks --lua-version 5.4 lint newsdesk-scm-1.rockspec
	luarocks --lua-version 5.4 lint $(BUILD)/newsdesk-$(VERSION)-1.rockspec
	luarocks --lua-version 5.4 make --pack-binary-rock --deps-mode none newsdesk-scm-1.rockspec
	mv newsdesk-scm-1.*.rock $(DEB_OUT)/

test-package: package
	BUILD=$(BUILD) sh tests/package/run.sh

clean:
	rm -rf build build-asan build-ubsan build-tsan build-fuzz build-rock build-deb

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
