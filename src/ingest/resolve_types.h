/*
 * resolve_types: what one resolved tick added to a profile, shared by
 * resolve (which computes it) and isolate (which caches it per stack).
 *
 * Invariants: ids are name ids of the run's name table; UINT32_MAX and
 * -1 mean "none".
 */
#ifndef TK_RESOLVE_TYPES_H
#define TK_RESOLVE_TYPES_H

#include <stdint.h>
#include "input/csv.h"

/* Frames of one tick kept at most (V8 writes up to 255): what a split
 * line keeps; the rest is warned about (TK_W_FIELDS). */
#define TK_MAX_FRAMES (TK_CSV_MAX_FIELDS - 6)

/* What one tick added to the profile, so that an identical tick (same
 * stack, same code map) can be replayed with tk_resolve_replay. */
struct tk_tick_result {
	uint32_t first;       /* name id of the innermost frame; UINT32_MAX: empty path */
	uint32_t leaves[2];   /* top-down and bottom-up leaves */
	uint32_t entry;       /* C++ entry point name id, UINT32_MAX: none */
	uint32_t why_lib;     /* library name id of a library-level first frame */
	int8_t why;           /* enum tk_why of the first frame, -1: named */
	uint8_t unaccounted;
	uint8_t dropped;      /* removed by --focus/--ignore: counted as excluded */
	uint32_t over;        /* outermost frames past TK_MAX_FRAMES once inlined
			       * frames were added (--lines): dropped */
};

#endif
