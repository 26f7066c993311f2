/* options: the one table of the command line is whole (names unique,
 * every option has modes, the shaping ones are limited to some), and
 * where the completions offer an option follows from its modes. */
#include <getopt.h>
#include <string.h>
#include "cli/options.h"
#include "suites.h"

static const struct tk_opt_def *def(const char *name)
{
	for (size_t k = 0; k < tk_n_opt_defs; k++)
		if (tk_opt_defs[k].name && !strcmp(tk_opt_defs[k].name, name))
			return &tk_opt_defs[k];
	return NULL;
}

START_TEST(test_options_whole)
{
	ck_assert_uint_le(tk_n_opt_defs, TK_OPT_DEFS_MAX);
	for (size_t k = 0; k < tk_n_opt_defs; k++) {
		const struct tk_opt_def *o = &tk_opt_defs[k];
		ck_assert_uint_ne(o->modes, 0);
		ck_assert_uint_eq(o->modes & ~(unsigned)M_ALL, 0);
		/* an option warned about as ignored has somewhere it is ignored */
		if (o->shapes)
			ck_assert_msg(o->modes != M_ALL, "--%s shapes everything", o->name);
		if (!o->name) {
			ck_assert_int_lt(o->id, 256); /* a short option */
			continue;
		}
		ck_assert_msg(o->help || o->id == OPT_SEP_NOOP, "--%s: no help", o->name);
		if (o->help)
			ck_assert_msg(!strpbrk(o->help, "'[]:"), "--%s: help breaks a zsh spec", o->name);
		for (size_t j = k + 1; j < tk_n_opt_defs; j++)
			ck_assert_msg(!tk_opt_defs[j].name || strcmp(o->name, tk_opt_defs[j].name),
				      "--%s twice", o->name);
		if (o->kind == K_FLAG || o->kind == K_STR)
			ck_assert_int_eq(o->has_arg, o->kind == K_STR ? required_argument : no_argument);
	}
}
END_TEST

START_TEST(test_options_where)
{
	ck_assert_int_eq(tk_opt_where(def("fail-above")), W_DIFF);
	ck_assert_int_eq(tk_opt_where(def("format")), W_REPORT);
	ck_assert_int_eq(tk_opt_where(def("cutoff")), W_REPORT);
	ck_assert_int_eq(tk_opt_where(def("verbose")), W_REPORT);
	ck_assert_int_eq(tk_opt_where(def("top")), W_BOTH);
	ck_assert_int_eq(tk_opt_where(def("json")), W_BOTH);
	ck_assert_int_eq(tk_opt_where(def("focus")), W_BOTH);
	/* the aliases and the two spellings */
	ck_assert_int_eq(def("depth")->id, def("call-graph-size")->id);
	ck_assert_int_eq(def("progress")->off, def("no-progress")->off);
	ck_assert_int_ne(def("progress")->value, def("no-progress")->value);
	/* what the frames shape has no effect on --pcs */
	ck_assert_uint_eq(def("hide")->modes & M_PCS, 0);
	ck_assert_uint_ne(def("hide")->modes & M_DIFF, 0);
}
END_TEST

Suite *tk_suite_options(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");
	tcase_add_test(tc, test_options_whole);
	tcase_add_test(tc, test_options_where);
	suite_add_tcase(s, tc);
	return s;
}
