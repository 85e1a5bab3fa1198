# newsdesk — a small, fast C library for analysing multilingual news from Lua.
#
#   make            build/libnewsdesk.{a,so}, build/newsdesk.so (Lua module), build/newsdesk
#   make test       every test; ends with "N passed, N failed"
#   make demo       the main job on the bundled sample corpus
#   make bench      speed figures beside baselines run in the same process
#   make asan       the whole suite under AddressSanitizer + UBSan (build-asan/)
#   make tsan       the runtime thread tests under ThreadSanitizer (build-tsan/)
#   make leakcheck  the C tests under valgrind
#   make fuzz       every libFuzzer target for FUZZ_SECONDS each
#   make install    PREFIX=/usr/local
#
# Sources are found by name: core/*.c and bindings/*.c make the library
# (bindings/main.c is the program), tests/c/test_*.c are C tests,
# tests/lua/test_*.lua Lua tests, tests/cli/test_*.sh end-to-end tests,
# tests/bench/bench_*.c benchmarks and tests/fuzz/fuzz_*.c fuzz targets.

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
FUZZ_SECONDS ?= 60

PKGS     = lua5.4 sqlite3 libutf8proc jansson libedit
DEB_PKGS = build-essential pkg-config lua5.4 liblua5.4-dev libsqlite3-dev \
           libutf8proc-dev libjansson-dev libedit-dev unicode-data bzip2 python3 sqlite3

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wwrite-strings -Wundef -Werror=implicit-function-declaration
# Recursive (=) so pkg-config runs after the dependency check installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm
NOLUA_LIBS = $(shell pkg-config --libs sqlite3 libutf8proc jansson libedit) -lm
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -fPIC -fvisibility=hidden -Iinclude -Icore -Ibindings \
             $(WARN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP

SOMAJOR = $(firstword $(subst ., ,$(VERSION)))
VERSION = $(shell sed -n 's/^\#define ND_VERSION_STRING "\(.*\)"/\1/p' include/nd_core.h)

CORE_SRC  = $(wildcard core/*.c)
BIND_SRC  = $(filter-out bindings/main.c,$(wildcard bindings/*.c))
LUA_SRC   = $(shell find scripts/lib scripts/boilerplate scripts/rules -name '*.lua' 2>/dev/null | sort) REFERENCE.md
LIB_OBJ   = $(CORE_SRC:%.c=$(BUILD)/%.o) $(BIND_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
TEST_BIN  = $(patsubst tests/c/%.c,$(BUILD)/tests/%,$(wildcard tests/c/test_*.c)) \
            $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/tests/test_fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
BENCH_BIN = $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/bench_*.c))
HOST_SRC  = $(wildcard tests/host/*.c)

LIBA  = $(BUILD)/libnewsdesk.a
LIBSO = $(BUILD)/libnewsdesk.so
LUAMOD = $(BUILD)/newsdesk.so
PROG  = $(BUILD)/newsdesk
DEPS_OK = $(BUILD)/.deps-ok

.PHONY: all deps test check demo bench asan tsan ubsan leakcheck fuzz fuzz-build fuzz-smoke install uninstall clean

all: $(LIBA) $(LIBSO) $(LUAMOD) $(PROG) $(TEST_BIN)

# ---- system dependencies ------------------------------------------------
# Installs what is missing with apt-get when run as root on Debian; otherwise
# prints the exact command and stops.
deps: $(DEPS_OK)
$(DEPS_OK):
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(DEB_PKGS); do \
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
	  fi; \
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
	lua5.4 bindings/embed.lua $@ $(LUA_SRC)

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(LIBSO): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libnewsdesk.so.$(SOMAJOR) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)
	ln -sf libnewsdesk.so $@.$(SOMAJOR)

# The Lua C module: no liblua, the interpreter that loads it provides Lua.
$(LUAMOD): $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(LDFLAGS) $(NOLUA_LIBS)

$(PROG): $(BUILD)/bindings/main.o $(LIBA)
	$(CC) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

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

bench: all $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done
	@for s in tests/bench/bench_*.sh; do [ -f "$$s" ] || continue; echo "== $$s"; BUILD=$(BUILD) sh $$s || exit 1; done

asan:
	$(MAKE) BUILD=build-asan ND_SANITIZE=1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" test

# Two runtimes in two threads and an interrupt from a third: ThreadSanitizer
# reports any data race (halt_on_error makes one a failure).
tsan:
	$(MAKE) BUILD=build-tsan ND_SANITIZE=1 CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" \
	  build-tsan/tests/test_runtime_threads
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" BUILD=build-tsan sh tests/run.sh test_runtime_threads

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
	  clang $(FUZZ_FLAGS) -fsanitize=fuzzer -Iinclude -Icore -Ibindings -Itests/fuzz $(PKG_CFLAGS) \
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
HOST_BIN  = $(BUILD)/host/host
HOST_PKG  = PKG_CONFIG_PATH=$(abspath $(BUILD)) pkg-config

all: $(BUILD)/newsdesk.pc $(HOST_BIN)

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

clean:
	rm -rf build build-asan build-tsan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
