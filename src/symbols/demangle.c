/* demangle: __cxa_demangle behind the interface nm -C users expect. */
#include <stdlib.h>
#include <string.h>
#include "symbols/demangle.h"
#include "base/util.h"

/* libstdc++'s demangler (libiberty's cp-demangle): declared here so no
 * C++ header is needed. It prints exactly what `nm -C` and `c++filt -i`
 * print (no DMGL_VERBOSE: "std::ostream", not the basic_ostream<...>
 * expansion plain c++filt shows). */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* Longest name demangled without a heap copy when a version suffix has to
 * be cut off first; longer ones take one malloc (versioned C++ names are
 * rare: only libstdc++'s own exports in .dynsym). */
#define TK_DM_STACK 512

/* Makes dm->buf hold at least need bytes, keeping its contents. */
static void dm_reserve(struct tk_demangle *dm, size_t need)
{
	if (need > dm->cap) {
		size_t cap = dm->cap < 256 ? 256 : dm->cap;
		while (cap < need)
			cap *= 2;
		dm->buf = tk_xrealloc(dm->buf, cap);
		dm->cap = cap;
	}
}

/* Demangles the NUL-terminated name into dm->buf; 0 or -1 (not a valid
 * mangled name, or out of memory: both leave the raw name shown). */
static int dm_run(struct tk_demangle *dm, const char *name)
{
	int status = 0;
	size_t cap = dm->cap;
	/* __cxa_demangle wants a malloc'd buffer and a capacity it may grow;
	 * it leaves the buffer alone when it fails, and frees it when it
	 * returns a bigger one, so the result always replaces dm->buf. */
	if (!dm->buf) {
		dm_reserve(dm, 256);
		cap = dm->cap;
	}
	char *out = __cxa_demangle(name, dm->buf, &cap, &status);
	if (!out || status != 0)
		return -1;
	if (out != dm->buf) {
		dm->buf = out;
		dm->cap = cap;
	}
	return 0;
}

const char *tk_demangle(struct tk_demangle *dm, const char *raw)
{
	/* Only Itanium names: __cxa_demangle also accepts bare type
	 * encodings and would turn a C function "i" into "int". Names behind
	 * "_GLOBAL__sub_I_" are left alone too: binutils' demangler only
	 * knows "_GLOBAL__I_"/"_GLOBAL__D_", so nm -C prints
	 * "_GLOBAL__sub_I_foo.cc" and "_GLOBAL__sub_I__Z3barv" unchanged. */
	if (!raw || raw[0] != '_' || raw[1] != 'Z')
		return raw;

	/* A version suffix ("@@GLIBCXX_3.4", "@VER") is not part of the
	 * mangling: demangle what precedes the first '@' and re-append the
	 * rest, as bfd_demangle does for nm. */
	const char *at = strchr(raw, '@');
	if (!at)
		return dm_run(dm, raw) == 0 ? dm->buf : raw;

	size_t n = (size_t)(at - raw);
	char small[TK_DM_STACK];
	char *name = n < sizeof small ? small : tk_xmalloc(n + 1);
	memcpy(name, raw, n);
	name[n] = '\0';
	int rc = dm_run(dm, name);
	if (name != small)
		free(name);
	if (rc < 0)
		return raw;

	size_t dlen = strlen(dm->buf), slen = strlen(at);
	dm_reserve(dm, dlen + slen + 1);
	memcpy(dm->buf + dlen, at, slen + 1);
	return dm->buf;
}

void tk_demangle_release(struct tk_demangle *dm)
{
	free(dm->buf);
	dm->buf = NULL;
	dm->cap = 0;
}
