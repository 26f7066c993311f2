/*
 * demangle: C++ (Itanium ABI) names made readable, as `nm -C` prints them.
 *
 * Invariants: only names starting with "_Z" are demangled (binutils
 * leaves "_GLOBAL__sub_I_..." as it is); a version suffix ("@@GLIBCXX_3.4",
 * "@VER") is kept after the demangled name; a name that fails to demangle
 * is returned unchanged. Uses __cxa_demangle (libstdc++), behind this file.
 *
 *     struct tk_demangle dm = {0};
 *     puts(tk_demangle(&dm, "_ZN2v88internal4Heap8ScavengeEv"));
 *     tk_demangle_release(&dm);
 */
#ifndef TK_DEMANGLE_H
#define TK_DEMANGLE_H

#include <stddef.h>

struct tk_demangle {
	char *buf;   /* reused output buffer */
	size_t cap;
};

/* The readable form of raw: borrowed until the next call on dm (or raw
 * itself when nothing was demangled). */
const char *tk_demangle(struct tk_demangle *dm, const char *raw);
void tk_demangle_release(struct tk_demangle *dm);

#endif
