/*
 * fuzz: what the fuzz targets share. Each target (tests/fuzz/fuzz_*.c)
 * defines LLVMFuzzerTestOneInput; `make fuzz` links it with libFuzzer
 * (clang -fsanitize=fuzzer,address,undefined), `make check` links it
 * with replay.c and runs every file of tests/fuzz/TARGET/ through it.
 *
 * Invariants: a target never writes to stdout or stderr for a valid run
 * (outputs go to /dev/null, warnings are quiet), frees all it allocates,
 * and touches no file but its own scratch file (tk_fuzz_file).
 */
#ifndef TK_FUZZ_H
#define TK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A scratch file of this process holding exactly data[0..size); its path
 * stays the same over calls. Aborts on an I/O error. */
const char *tk_fuzz_file(const uint8_t *data, size_t size);

/* A stream writing to /dev/null, opened once. */
FILE *tk_fuzz_null(void);

#endif
