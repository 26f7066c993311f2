# ticks: non-recursive Makefile. Run ./configure first (writes config.mk).
#
#   make             build ./ticks
#   make check       unit suites (Check) + end-to-end tests
#   make check-asan  the same, built with ASan + UBSan (no recovery)
#   make install     binary + man page under $(DESTDIR)$(PREFIX)

-include config.mk
ifeq ($(wildcard config.mk),)
$(error config.mk is missing: run ./configure first)
endif

BUILD ?= build
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -Iinclude -Isrc \
	$(ZLIB_CFLAGS) $(ELF_CFLAGS) $(DWARF_CFLAGS) -DTK_HAVE_LIBDWARF=$(HAVE_LIBDWARF) \
	-DTK_DWARF_API_$(if $(DWARF_API),$(DWARF_API),none)=1
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_CFLAGS)
LIBS = $(DWARF_LIBS) $(ELF_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS) -lm

SRCS := $(wildcard src/*.c)
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/src/%.o,$(filter-out src/main.c,$(SRCS)))
MAIN_OBJ := $(BUILD)/src/main.o
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%.o,$(UNIT_SRCS))
FIXTURES := $(BUILD)/fixtures/stamp

ifeq ($(BUILD),build)
PROGRAM = ticks
else
PROGRAM = $(BUILD)/ticks
endif

.PHONY: all check check-unit check-e2e check-asan install uninstall clean fixtures bench
all: $(PROGRAM)

$(PROGRAM): $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit_tests: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

# ELF fixtures for the symbol tests: PIE, non-PIE, shared object, stripped.
fixtures: $(FIXTURES)
$(FIXTURES): $(wildcard tests/fixtures/*)
	@mkdir -p $(@D)
	CC="$(CC)" sh tests/fixtures/build.sh $(BUILD)/fixtures
	@touch $@

check: check-unit check-e2e

check-unit: $(BUILD)/unit_tests $(FIXTURES)
	TK_FIXTURES=$(abspath $(BUILD))/fixtures $(abspath $(BUILD))/unit_tests

check-e2e: $(PROGRAM) $(FIXTURES)
	TICKS=$(abspath $(PROGRAM)) TK_FIXTURES=$(abspath $(BUILD))/fixtures sh tests/e2e/run.sh

check-asan:
	$(MAKE) BUILD=build-asan EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" check

bench: $(PROGRAM)
	sh bench/run.sh ./$(PROGRAM)

install: $(PROGRAM)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGRAM) $(DESTDIR)$(PREFIX)/bin/ticks
	install -m 644 ticks.1 $(DESTDIR)$(PREFIX)/share/man/man1/ticks.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ticks $(DESTDIR)$(PREFIX)/share/man/man1/ticks.1

clean:
	rm -rf build build-asan ticks

-include $(wildcard $(BUILD)/src/*.d $(BUILD)/unit/*.d)
