/* The Check suites of tests/unit: one per module; runner.c runs them all
 * (or the one named by CK_RUN_SUITE, which Check reads itself). */
#ifndef TK_SUITES_H
#define TK_SUITES_H
#include <check.h>

#define TK_SUITES(X) \
	X(util) \
	X(hashidx) \
	X(otree) \
	X(escape) \
	X(diag) \
	X(progress) \
	X(options) \
	X(names) \
	X(csv) \
	X(v8log) \
	X(input) \
	X(codemap) \
	X(libs) \
	X(profile) \
	X(out_text) \
	X(out_folded) \
	X(out_json) \
	X(out_cpuprofile) \
	X(out_speedscope) \
	X(out_pprof) \
	X(out_html) \
	X(out_preprocess) \
	X(format) \
	X(isolate) \
	X(resolve) \
	X(elfsym) \
	X(elfplt) \
	X(demangle) \
	X(dwline) \
	X(jsonread) \
	X(window) \
	X(scan) \
	X(timeline) \
	X(diff) \
	X(sourcemap) \
	X(srcpos) \
	X(tickcache)

#define TK_DECLARE_SUITE(name) Suite *tk_suite_##name(void);
TK_SUITES(TK_DECLARE_SUITE)

/* Directory of the ELF fixtures built by make (env TK_FIXTURES). */
const char *tk_test_fixtures(void);

/* testutil.c: a fresh temporary directory (tk_test_tmp_make, in a
 * fixture's setup) removed with everything in it (tk_test_tmp_remove);
 * a whole file read (caller frees; one spare byte after the data) or
 * written to NAME in that directory (the path is returned, borrowed until
 * the next call). */
#include <stddef.h>
extern char tk_test_tmpdir[];
void tk_test_tmp_make(void);
void tk_test_tmp_remove(void);
char *tk_test_slurp(const char *path, size_t *len);
const char *tk_test_spit(const char *name, const void *data, size_t len);

/* The executable (SHF_EXECINSTR) sections of the ELF file at path, read
 * with libelf: [lo, hi) addresses into out, at most cap; with
 * alloc_nonempty only allocated sections of nonzero size (NOBITS ones
 * too: a debug file keeps their addresses, not their contents). */
#include <stdint.h>
struct tk_test_range {
	uint64_t lo, hi;
};
size_t tk_test_exec_sections(const char *path, struct tk_test_range *out, size_t cap, int alloc_nonempty);

#endif
