# ticks: non-recursive Makefile. Run ./configure first (writes config.mk).
#
#   make             build ./ticks
#   make check       unit suites (Check) + end-to-end tests
#   make check-asan  the same, built with ASan + UBSan (no recovery)
#   make fuzz        libFuzzer targets in build-fuzz/ (clang); fuzz-run: run them
#   make check-valgrind  every logs/ case under valgrind memcheck
#   make install     binary, man page, bash + zsh completions under $(DESTDIR)$(PREFIX)
#   make dist        ticks-$(VERSION).tar.gz from `git ls-files` (distcheck: rebuild + test it)
#   make static      build-static/ticks, statically linked (check-static: e2e on it)
#   make check-rpm   dist + rpmbuild -ta + rpm -qlp (packaging/check-rpm.sh)
#   make check-aarch64  cross-built for aarch64, unit + e2e under qemu-user (tests/aarch64/check.sh)
#   make check-libdwarf0  make check against libdwarf 0.x (Debian 13's, fetched; tests/libdwarf0.sh)

-include config.mk
ifeq ($(wildcard config.mk),)
$(error config.mk is missing: run ./configure first)
endif

BUILD ?= build
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -Iinclude -Isrc \
	$(ZLIB_CFLAGS) $(ELF_CFLAGS) $(DWARF_CFLAGS) -DTK_HAVE_LIBDWARF=$(HAVE_LIBDWARF) \
	-DTK_DWARF_API_$(if $(DWARF_API),$(DWARF_API),none)=1 -pthread
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_CFLAGS) -pthread
LIBS = $(DWARF_LIBS) $(ELF_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -lm

SRCS := $(wildcard src/*/*.c)
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/src/%.o,$(filter-out src/cli/main.c,$(SRCS)))
MAIN_OBJ := $(BUILD)/src/cli/main.o
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%.o,$(UNIT_SRCS))
FIXTURES := $(BUILD)/fixtures/stamp
# the compiler of the ELF fixtures (their DWARF is what the tests expect)
FIXTURE_CC ?= $(CC)

# The version has one home, TK_VERSION in include/ticks.h; the commit is
# compiled into main.o (ticks --version) when building from a git checkout.
VERSION := $(shell sed -n 's/^\#define TK_VERSION "\(.*\)"/\1/p' include/ticks.h)
GIT_COMMIT := $(shell test -e .git && git rev-parse --short HEAD 2>/dev/null)
DIST = ticks-$(VERSION)
COMPLETIONS = $(BUILD)/ticks.bash $(BUILD)/_ticks
STATIC_LIBS = $(DWARF_LIBS) $(shell pkg-config --static --libs libelf 2>/dev/null || echo -lelf -lz) \
	$(ZLIB_LIBS) -lstdc++ -lm -lpthread
STATIC_MAKE = $(MAKE) BUILD=build-static LDFLAGS="$(LDFLAGS) -static" LIBS="$(STATIC_LIBS)"

ifeq ($(BUILD),build)
PROGRAM = ticks
else
PROGRAM = $(BUILD)/ticks
endif

.PHONY: all check check-unit check-e2e check-asan check-asan-clang install uninstall clean fixtures bench
.PHONY: fuzz fuzz-run fuzz-merge check-fuzz check-valgrind
.PHONY: completions dist distcheck static check-static check-rpm version FORCE
all: $(PROGRAM)

$(PROGRAM): $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# main.o and args.o (--version) are rebuilt when the commit changes
$(MAIN_OBJ) $(BUILD)/src/cli/args.o: ALL_CFLAGS += -DTK_COMMIT='"$(GIT_COMMIT)"'
$(MAIN_OBJ) $(BUILD)/src/cli/args.o: $(BUILD)/commit
$(BUILD)/commit: FORCE
	@mkdir -p $(@D)
	@echo '$(GIT_COMMIT)' | cmp -s - $@ || echo '$(GIT_COMMIT)' >$@

$(BUILD)/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit_tests: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

# ELF fixtures for the symbol tests: PIE, non-PIE, shared object, stripped.
fixtures: $(FIXTURES)
# The same for aarch64 in fixtures/aarch64 where the cross compiler is
# installed (the elfplt suite reads them on any host; skipped without).
AARCH64_CC ?= aarch64-linux-gnu-gcc
$(FIXTURES): $(wildcard tests/fixtures/*)
	@mkdir -p $(@D)
	CC="$(FIXTURE_CC)" sh tests/fixtures/build.sh $(BUILD)/fixtures
	@if command -v $(AARCH64_CC) >/dev/null 2>&1 && command -v $(AARCH64_CC:gcc=objcopy) >/dev/null 2>&1; then \
		echo 'CC=$(AARCH64_CC) sh tests/fixtures/build.sh $(BUILD)/fixtures/aarch64'; \
		CC=$(AARCH64_CC) STRIP=$(AARCH64_CC:gcc=strip) OBJCOPY=$(AARCH64_CC:gcc=objcopy) \
			sh tests/fixtures/build.sh $(BUILD)/fixtures/aarch64; \
	else rm -rf $(BUILD)/fixtures/aarch64; fi
	@touch $@

check: check-layers check-sizes check-stderr check-unit check-e2e check-fuzz

# the layering of src/ (tests/check-layers.sh): no upward include, no cycle
.PHONY: check-layers
check-layers:
	sh tests/check-layers.sh

# size limits (tests/check-sizes.sh): no .c over 800 lines, no function
# over 150, ticks_main under 120
.PHONY: check-sizes
check-sizes:
	sh tests/check-sizes.sh

# warnings through one channel (tests/check-stderr.sh): no stderr write
# outside src/base/diag.c and src/cli/main.c
.PHONY: check-stderr
check-stderr:
	sh tests/check-stderr.sh

# Check's timeouts (4 s by default) are for hangs, not speed: a loaded CI
# machine or a sanitizer build must not turn slow into failed.
check-unit: $(BUILD)/unit_tests $(FIXTURES)
	CK_TIMEOUT_MULTIPLIER=$${CK_TIMEOUT_MULTIPLIER:-10} TK_FIXTURES=$(abspath $(BUILD))/fixtures \
		$(abspath $(BUILD))/unit_tests

check-e2e: $(PROGRAM) $(FIXTURES)
	TICKS=$(abspath $(PROGRAM)) TK_FIXTURES=$(abspath $(BUILD))/fixtures sh tests/e2e/run.sh

check-asan:
	$(MAKE) BUILD=build-asan EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" check

# the same with clang, whose UBSan also reports arithmetic on NULL (gcc's
# does not); the fixtures still built by the default compiler
check-asan-clang:
	$(MAKE) BUILD=build-asan-clang CC=clang FIXTURE_CC="$(CC)" \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" check

# Fuzz targets (tests/fuzz/fuzz_*.c). `make check` links each with
# replay.c and replays its corpus and crash reproducers; `make fuzz`
# links them with libFuzzer under ASan + UBSan (FUZZ_CC, clang by default).
FUZZ_TARGETS = log csv tick elf input
FUZZ_BINS = $(patsubst %,$(BUILD)/fuzz_%,$(FUZZ_TARGETS))
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
# smaller buffers and caches: no large allocation per input, more refills
FUZZ_SMALL = -DTK_INPUT_CHUNK=4096 -DTK_INPUT_GZBUF=8192 -DTK_RCACHE_SLOTS=64 -DTK_TC_START=16 -DTK_TC_TEXT_MAX=16384 -DTK_TC_MAX_TICKS=96 -DTK_PRE_MAX_PAGES=4096 -DTK_PRE_TICK_CHUNK=4096 -DTK_PRE_MAX_SCRIPT_ID=4096
ifeq ($(FUZZ_LIBFUZZER),1)
FUZZ_DRIVER =
FUZZ_LINK = -fsanitize=fuzzer
else
FUZZ_DRIVER = $(BUILD)/fuzz/replay.o
FUZZ_LINK =
endif

$(BUILD)/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -MMD -MP -c -o $@ $<

$(BUILD)/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/fuzz_util.o $(FUZZ_DRIVER) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) $(FUZZ_LINK) -o $@ $^ $(LIBS)

.PRECIOUS: $(BUILD)/fuzz/%.o

check-fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		$(abspath $(BUILD))/fuzz_$$t $$(ls -d tests/fuzz/$$t/corpus tests/fuzz/$$t/crashes 2>/dev/null) || exit 1; \
	done

fuzz:
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) FUZZ_LIBFUZZER=1 \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer $(FUZZ_SMALL)" \
		$(patsubst %,build-fuzz/fuzz_%,$(FUZZ_TARGETS))

# FUZZ_TIME seconds per target, one after the other (FUZZ_TARGETS= to pick)
fuzz-run: fuzz
	@for t in $(FUZZ_TARGETS); do sh tests/fuzz/run.sh $$t $(FUZZ_TIME) || exit 1; done

# the working corpora (build-fuzz/corpus/T) minimized into tests/fuzz/T/corpus
fuzz-merge: fuzz
	@for t in $(FUZZ_TARGETS); do sh tests/fuzz/run.sh $$t merge || exit 1; done

check-valgrind: $(PROGRAM) $(FIXTURES)
	TICKS=$(abspath $(PROGRAM)) TK_FIXTURES=$(abspath $(BUILD))/fixtures sh tests/valgrind.sh

bench: $(PROGRAM)
	sh bench/run.sh ./$(PROGRAM)

completions: $(COMPLETIONS)
$(BUILD)/ticks.bash: $(PROGRAM)
	$(abspath $(PROGRAM)) --completion=bash >$@.tmp && mv $@.tmp $@
$(BUILD)/_ticks: $(PROGRAM)
	$(abspath $(PROGRAM)) --completion=zsh >$@.tmp && mv $@.tmp $@

install: $(PROGRAM) $(COMPLETIONS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGRAM) $(DESTDIR)$(PREFIX)/bin/ticks
	install -m 644 ticks.1 $(DESTDIR)$(PREFIX)/share/man/man1/ticks.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 644 $(BUILD)/ticks.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ticks
	install -m 644 $(BUILD)/_ticks $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_ticks

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ticks $(DESTDIR)$(PREFIX)/share/man/man1/ticks.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ticks $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_ticks

version:
	@echo $(VERSION)

# The tracked files only (DIST_UNTRACKED=1 adds untracked, not ignored ones:
# for trying out files not yet committed); ticks.spec must carry VERSION.
dist:
	@test -e .git || { echo "make dist: needs a git checkout" >&2; exit 1; }
	@v=$$(sed -n 's/^Version:[[:space:]]*//p' ticks.spec); test "$$v" = "$(VERSION)" || \
		{ echo "make dist: ticks.spec says Version $$v, include/ticks.h says $(VERSION)" >&2; exit 1; }
	@n=$$(git ls-files --others --exclude-standard | grep -cvE '^ticks-[^/]*\.tar\.gz'); test -n "$(DIST_UNTRACKED)" || test $$n = 0 || \
		echo "make dist: note: $$n untracked files left out (git add them, or DIST_UNTRACKED=1)" >&2
	git ls-files -z $(if $(DIST_UNTRACKED),--cached --others --exclude-standard) | \
		grep -zvE '^ticks-[^/]*\.tar\.gz(\.tmp)?$$' | tar --null -T - --transform='s,^,$(DIST)/,' --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$$(git log -1 --format=%ct) -cf - | gzip -n9 >$(DIST).tar.gz.tmp
	mv $(DIST).tar.gz.tmp $(DIST).tar.gz
	@echo "wrote $(DIST).tar.gz"

distcheck: dist
	@d=$$(mktemp -d $${TMPDIR:-/tmp}/ticks-distcheck.XXXXXX) && \
	tar -xzf $(DIST).tar.gz -C $$d && cd $$d/$(DIST) && \
	./configure && $(MAKE) && $(MAKE) check && cd / && rm -rf $$d && \
	echo "$(DIST).tar.gz: builds and passes make check"

static:
	$(STATIC_MAKE) build-static/ticks
	ldd build-static/ticks 2>&1 | grep -q 'not a dynamic executable' || \
		{ echo "build-static/ticks is not static:"; ldd build-static/ticks; exit 1; }
	@echo "build-static/ticks: statically linked, $$(wc -c <build-static/ticks) bytes"

check-static: static
	$(STATIC_MAKE) check-e2e

check-rpm:
	sh packaging/check-rpm.sh

# aarch64: cross-built in build-aarch64 (its own config.mk), the unit
# suites and the e2e suite run under qemu-user; exit 77 of the script
# (the package registry unreachable for the arm64 libraries) is a skip,
# said, not a failure
.PHONY: check-aarch64
check-aarch64:
	@sh tests/aarch64/check.sh build-aarch64; rc=$$?; \
	if [ $$rc = 77 ]; then echo "check-aarch64: SKIPPED: the arm64 libraries could not be fetched (see above)"; \
	elif [ $$rc != 0 ]; then exit $$rc; else echo "check-aarch64: passed"; fi

# make check built against Debian 13's libdwarf 0.11.1 in Fedora's layout
# (fetched from the Debian archive apt uses, cached in build-libdwarf0/);
# where the archive cannot be reached it says SKIPPED and succeeds
.PHONY: check-libdwarf0
check-libdwarf0:
	@sh tests/libdwarf0.sh; rc=$$?; [ $$rc = 77 ] || exit $$rc

clean:
	rm -rf build build-asan build-asan-clang build-static build-fuzz ticks
	rm -rf build-aarch64 build-libdwarf0

-include $(wildcard $(BUILD)/src/*/*.d $(BUILD)/unit/*.d $(BUILD)/fuzz/*.d)
