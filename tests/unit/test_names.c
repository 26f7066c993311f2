/* names: interning, dense ids, first-kind-wins, rehash, embedded NULs. */
#include <stdio.h>
#include <string.h>
#include "base/names.h"
#include "suites.h"

static const struct tk_name *intern(struct tk_names *t, const char *s, enum tk_kind k)
{
	return tk_names_intern(t, s, strlen(s), k);
}

START_TEST(test_same_pointer)
{
	struct tk_names t;
	tk_names_init(&t);
	char buf1[] = "JS: *fib a.js:1:1", buf2[] = "JS: *fib a.js:1:1";
	const struct tk_name *a = intern(&t, buf1, TK_KIND_JS);
	const struct tk_name *b = intern(&t, buf2, TK_KIND_NONE);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(t.count, 1);
	/* the interned copy does not alias the caller's buffer */
	ck_assert_ptr_ne(a->str, buf1);
	buf1[0] = 'X';
	ck_assert_str_eq(a->str, "JS: *fib a.js:1:1");
	ck_assert_uint_eq(a->len, strlen("JS: *fib a.js:1:1"));
	/* different strings, even prefixes, are different names */
	const struct tk_name *c = intern(&t, "JS: *fib", TK_KIND_JS);
	ck_assert_ptr_ne(a, c);
	const struct tk_name *e = intern(&t, "", TK_KIND_NONE);
	ck_assert_ptr_eq(e, intern(&t, "", TK_KIND_NONE));
	ck_assert_uint_eq(e->len, 0);
	ck_assert_str_eq(e->str, "");
	ck_assert_uint_eq(t.count, 3);
	tk_names_release(&t);
}
END_TEST

START_TEST(test_ids_dense)
{
	static const char *const words[] = { "b", "a", "c", "a", "b", "d", "", "e", "d" };
	static const uint32_t want[] = { 0, 1, 2, 1, 0, 3, 4, 5, 3 };
	struct tk_names t;
	tk_names_init(&t);
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		const struct tk_name *n = intern(&t, words[i], TK_KIND_NONE);
		ck_assert_msg(n->id == want[i], "'%s' has id %u, want %u", words[i], n->id, want[i]);
		ck_assert_ptr_eq(tk_names_get(&t, n->id), n);
	}
	ck_assert_uint_eq(t.count, 6);
	tk_names_release(&t);
}
END_TEST

/* kind sequences: each row interns one name with these kinds in turn;
 * the first non-NONE kind must stick */
static const struct {
	enum tk_kind seq[4];
	int n;
	enum tk_kind want;
} kind_cases[] = {
	{ { TK_KIND_NONE }, 1, TK_KIND_NONE },
	{ { TK_KIND_JS }, 1, TK_KIND_JS },
	{ { TK_KIND_NONE, TK_KIND_CPP }, 2, TK_KIND_CPP },
	{ { TK_KIND_NONE, TK_KIND_NONE, TK_KIND_LIB }, 3, TK_KIND_LIB },
	{ { TK_KIND_CPP, TK_KIND_LIB }, 2, TK_KIND_CPP },
	{ { TK_KIND_LIB, TK_KIND_NONE, TK_KIND_JS }, 3, TK_KIND_LIB },
	{ { TK_KIND_NONE, TK_KIND_UNKNOWN, TK_KIND_JS, TK_KIND_CPP }, 4, TK_KIND_UNKNOWN },
	{ { TK_KIND_JS, TK_KIND_CPP, TK_KIND_LIB, TK_KIND_NONE }, 4, TK_KIND_JS },
};

START_TEST(test_kind_first_wins)
{
	struct tk_names t;
	tk_names_init(&t);
	const struct tk_name *n = NULL;
	for (int k = 0; k < kind_cases[_i].n; k++) {
		const struct tk_name *m = intern(&t, "funcA", kind_cases[_i].seq[k]);
		if (n)
			ck_assert_ptr_eq(m, n);
		n = m;
	}
	ck_assert_int_eq(n->kind, kind_cases[_i].want);
	ck_assert_uint_eq(t.count, 1);
	tk_names_release(&t);
}
END_TEST

/* 100k names: the table rehashes many times; every name keeps its
 * pointer, id and text, and interning again finds it. */
START_TEST(test_many_names)
{
	enum { N = 100000 };
	struct tk_names t;
	tk_names_init(&t);
	static const struct tk_name *ptr[N];
	char s[64];
	/* plain checks in the loops: each ck_assert costs a syscall */
	for (int i = 0; i < N; i++) {
		int n = snprintf(s, sizeof s, "name-%d-%x", i, (unsigned)i * 2654435761u);
		ptr[i] = tk_names_intern(&t, s, (size_t)n, i % 3 ? TK_KIND_JS : TK_KIND_CPP);
		if (ptr[i]->id != (uint32_t)i)
			ck_abort_msg("'%s' has id %u", s, ptr[i]->id);
	}
	ck_assert_uint_eq(t.count, N);
	for (int i = N - 1; i >= 0; i--) {
		int n = snprintf(s, sizeof s, "name-%d-%x", i, (unsigned)i * 2654435761u);
		const struct tk_name *p = tk_names_intern(&t, s, (size_t)n, TK_KIND_LIB);
		if (p != ptr[i] || strcmp(p->str, s) != 0 || p->kind != (i % 3 ? TK_KIND_JS : TK_KIND_CPP) ||
		    tk_names_get(&t, (uint32_t)i) != p)
			ck_abort_msg("'%s' lost after rehash (got '%s', kind %d)", s, p->str, p->kind);
	}
	ck_assert_uint_eq(t.count, N);
	tk_names_release(&t);
}
END_TEST

/* Names are length-delimited: NUL bytes are part of the name. */
static const struct {
	const char *s;
	size_t n;
} nul_names[] = {
	{ "a", 1 },
	{ "a\0", 2 },
	{ "a\0b", 3 },
	{ "a\0c", 3 },
	{ "\0", 1 },
	{ "\0\0", 2 },
	{ "", 0 },
	{ "ab", 2 },
};

START_TEST(test_embedded_nul)
{
	struct tk_names t;
	tk_names_init(&t);
	size_t k = sizeof nul_names / sizeof *nul_names;
	const struct tk_name *p[sizeof nul_names / sizeof *nul_names];
	for (size_t i = 0; i < k; i++) {
		p[i] = tk_names_intern(&t, nul_names[i].s, nul_names[i].n, TK_KIND_NONE);
		ck_assert_uint_eq(p[i]->len, nul_names[i].n);
		ck_assert_int_eq(memcmp(p[i]->str, nul_names[i].s, nul_names[i].n), 0);
		ck_assert_int_eq(p[i]->str[p[i]->len], 0); /* still NUL-terminated */
	}
	ck_assert_uint_eq(t.count, k); /* all distinct */
	for (size_t i = 0; i < k; i++) {
		ck_assert_ptr_eq(tk_names_intern(&t, nul_names[i].s, nul_names[i].n, TK_KIND_NONE), p[i]);
		for (size_t j = 0; j < i; j++)
			ck_assert_ptr_ne(p[i], p[j]);
	}
	tk_names_release(&t);
}
END_TEST

/* Two name tables are independent. */
START_TEST(test_two_tables)
{
	struct tk_names a, b;
	tk_names_init(&a);
	tk_names_init(&b);
	const struct tk_name *x = intern(&a, "x", TK_KIND_JS);
	intern(&b, "y", TK_KIND_NONE);
	const struct tk_name *y = intern(&b, "x", TK_KIND_CPP);
	ck_assert_ptr_ne(x, y);
	ck_assert_uint_eq(y->id, 1);
	ck_assert_int_eq(x->kind, TK_KIND_JS);
	ck_assert_int_eq(y->kind, TK_KIND_CPP);
	tk_names_release(&a);
	tk_names_release(&b);
}
END_TEST

static int eqn(const char *p, uint32_t n, const char *want)
{
	return p && n == strlen(want) && memcmp(p, want, n) == 0;
}

/* the record is filled when the name is made, from the display string */
START_TEST(test_frame_parsed)
{
	struct tk_names t;
	tk_names_init(&t);
	const struct tk_frame_rec *f = &intern(&t, "LazyCompile: *fib /a/b.js:12:3", TK_KIND_JS)->frame;
	ck_assert_int_eq(f->kind, TK_KIND_JS);
	ck_assert(eqn(f->type, f->type_len, "LazyCompile"));
	ck_assert_int_eq(f->tier, '*');
	ck_assert(f->is_func);
	ck_assert(eqn(f->func, f->func_len, "fib"));
	ck_assert(eqn(f->script, f->script_len, "/a/b.js"));
	ck_assert_uint_eq(f->line, 12);
	ck_assert_uint_eq(f->column, 3);
	ck_assert(!f->inlined);
	/* builtins: a type, no tier, no script */
	f = &intern(&t, "Builtin: ArrayPush", TK_KIND_JS)->frame;
	ck_assert(eqn(f->type, f->type_len, "Builtin"));
	ck_assert(!f->is_func && !f->tier && !f->script);
	ck_assert(eqn(f->func, f->func_len, "ArrayPush"));
	/* a C++ symbol is its own function, whatever it looks like */
	f = &intern(&t, "JS: *f x.js:1:1", TK_KIND_CPP)->frame;
	ck_assert_int_eq(f->kind, TK_KIND_CPP);
	ck_assert(!f->type && !f->script);
	ck_assert(eqn(f->func, f->func_len, "JS: *f x.js:1:1"));
	tk_names_release(&t);
}
END_TEST

/* a name of no kind gets its record again when it gets its kind */
START_TEST(test_frame_kind_later)
{
	struct tk_names t;
	tk_names_init(&t);
	const struct tk_name *n = intern(&t, "Stub: x a.js:1:2", TK_KIND_NONE);
	ck_assert_int_eq(n->frame.kind, TK_KIND_JS);
	ck_assert_ptr_nonnull(n->frame.type);
	ck_assert_ptr_eq(intern(&t, "Stub: x a.js:1:2", TK_KIND_CPP), n);
	ck_assert_int_eq(n->frame.kind, TK_KIND_CPP);
	ck_assert_ptr_null(n->frame.type);
	ck_assert_uint_eq(n->frame.func_len, n->len);
	tk_names_release(&t);
}
END_TEST

/* parts from the maker: pointers move into the interned copy */
START_TEST(test_frame_given)
{
	struct tk_names t;
	tk_names_init(&t);
	const struct tk_name *outer = intern(&t, "JS: *outer a.js:1:1", TK_KIND_JS);
	char buf[] = "JS: in a/x y.js:7 (inlined)";
	struct tk_frame_rec r = { .type = buf, .type_len = 2, .func = buf + 4, .func_len = 2,
				  .script = buf + 7, .script_len = 8, .line = 7, .is_func = 1, .inlined = 1,
				  .inlined_in = outer };
	const struct tk_name *n = tk_names_intern_frame(&t, buf, strlen(buf), TK_KIND_JS, &r);
	memset(buf, 'X', sizeof buf - 1);
	const struct tk_frame_rec *f = &n->frame;
	ck_assert(eqn(f->type, f->type_len, "JS"));
	ck_assert(eqn(f->func, f->func_len, "in"));
	/* the script has a space: the maker knows, a parse would not */
	ck_assert(eqn(f->script, f->script_len, "a/x y.js"));
	ck_assert(f->script >= n->str && f->script < n->str + n->len);
	ck_assert_uint_eq(f->line, 7);
	ck_assert(f->inlined);
	ck_assert_ptr_eq(f->inlined_in, outer);
	ck_assert_int_eq(f->kind, TK_KIND_JS);
	/* an existing name keeps its record */
	struct tk_frame_rec other = { .func = "JS: *outer a.js:1:1", .func_len = 3 };
	ck_assert_ptr_eq(tk_names_intern_frame(&t, "JS: *outer a.js:1:1", 19, TK_KIND_JS, &other), outer);
	ck_assert(eqn(outer->frame.func, outer->frame.func_len, "outer"));
	tk_names_release(&t);
}
END_TEST

Suite *tk_suite_names(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("intern");
	tcase_add_test(tc, test_same_pointer);
	tcase_add_test(tc, test_ids_dense);
	tcase_add_loop_test(tc, test_kind_first_wins, 0, (int)(sizeof kind_cases / sizeof *kind_cases));
	tcase_add_test(tc, test_many_names);
	tcase_add_test(tc, test_embedded_nul);
	tcase_add_test(tc, test_two_tables);
	tcase_add_test(tc, test_frame_parsed);
	tcase_add_test(tc, test_frame_kind_later);
	tcase_add_test(tc, test_frame_given);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
