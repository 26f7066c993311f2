/* out_cpuprofile: the .cpuprofile of a hand-built report (testreport.h)
 * read back: unique node ids, parents and children agreeing, one sample
 * per tick on a node, hitCount = the samples on it, the timeline
 * (startTime, endTime, timeDeltas), callFrames from the frame records. */
#include <stdlib.h>
#include <string.h>
#include "base/jsonread.h"
#include "suites.h"
#include "testreport.h"

enum { MAXN = 64 };

struct cp {
	struct tk_jr_doc doc;
	size_t n;                           /* nodes */
	const struct tk_jr_val *node[MAXN];
	double id[MAXN];
	int parent[MAXN];                   /* node index, -1: none */
	size_t n_samples;
	int sample[128];                    /* node index of each sample */
	double delta_sum, start, end;
	double hits_of_samples[MAXN];
};

static const struct tk_jr_val *get(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = tk_jr_get(v, key);
	ck_assert_msg(m != NULL, "no member '%s'", key);
	return m;
}

static int index_of(const struct cp *c, double id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->id[i] == id)
			return (int)i;
	return -1;
}

static const char *fn(const struct cp *c, int i)
{
	return get(get(c->node[i], "callFrame"), "functionName")->str;
}

/* parses and checks everything that holds for any profile */
static void load(struct cp *c, const char *s, size_t len)
{
	char err[256];
	memset(c, 0, sizeof *c);
	ck_assert_msg(tk_jr_parse(&c->doc, s, len, err, sizeof err) == 0, "bad JSON: %s", err);
	const struct tk_jr_val *nodes = get(c->doc.root, "nodes");
	ck_assert_int_eq(nodes->type, TK_JR_ARR);
	ck_assert_uint_le(nodes->n, MAXN);
	c->n = nodes->n;
	for (size_t i = 0; i < c->n; i++) {
		c->node[i] = &nodes->items[i];
		c->id[i] = get(c->node[i], "id")->num;
		c->parent[i] = -1;
		ck_assert_msg(index_of(c, c->id[i]) == (int)i, "node id %g twice", c->id[i]);
		const struct tk_jr_val *cf = get(c->node[i], "callFrame");
		ck_assert_int_eq(get(cf, "functionName")->type, TK_JR_STR);
		ck_assert_int_eq(get(cf, "url")->type, TK_JR_STR);
		ck_assert_int_eq(get(cf, "scriptId")->type, TK_JR_STR);
		ck_assert(get(cf, "lineNumber")->num >= -1);
		ck_assert(get(cf, "columnNumber")->num >= -1);
	}
	/* the first node is the root; every other node is the child of
	 * exactly one node, listed before it */
	ck_assert(c->id[0] == 1);
	ck_assert_str_eq(fn(c, 0), "(root)");
	for (size_t i = 0; i < c->n; i++) {
		const struct tk_jr_val *ch = tk_jr_get(c->node[i], "children");
		if (!ch)
			continue;
		ck_assert_uint_gt(ch->n, 0);
		for (size_t k = 0; k < ch->n; k++) {
			int j = index_of(c, ch->items[k].num);
			ck_assert_msg(j > 0, "child id %g is no node", ch->items[k].num);
			ck_assert_msg(c->parent[j] < 0, "node %g has two parents", c->id[j]);
			ck_assert_int_gt(j, (int)i);
			c->parent[j] = (int)i;
		}
	}
	for (size_t i = 1; i < c->n; i++)
		ck_assert_msg(c->parent[i] >= 0, "node %g has no parent", c->id[i]);
	/* samples and deltas */
	const struct tk_jr_val *sm = get(c->doc.root, "samples"), *td = get(c->doc.root, "timeDeltas");
	ck_assert_uint_eq(sm->n, td->n);
	ck_assert_uint_le(sm->n, 128);
	c->n_samples = sm->n;
	for (size_t k = 0; k < sm->n; k++) {
		int j = index_of(c, sm->items[k].num);
		ck_assert_msg(j >= 0, "sample %zu: id %g is no node", k, sm->items[k].num);
		c->sample[k] = j;
		c->hits_of_samples[j]++;
		ck_assert(td->items[k].num >= 0);
		c->delta_sum += td->items[k].num;
	}
	for (size_t i = 0; i < c->n; i++)
		ck_assert_msg(get(c->node[i], "hitCount")->num == c->hits_of_samples[i], "node %g: hitCount %g, %g samples",
			      c->id[i], get(c->node[i], "hitCount")->num, c->hits_of_samples[i]);
	c->start = get(c->doc.root, "startTime")->num;
	c->end = get(c->doc.root, "endTime")->num;
	ck_assert(c->end >= c->start);
}

/* the node under parent p named f, or -1 */
static int child(const struct cp *c, int p, const char *f)
{
	for (size_t i = 1; i < c->n; i++)
		if (c->parent[i] == p && strcmp(fn(c, (int)i), f) == 0)
			return (int)i;
	return -1;
}

static double cf_num(const struct cp *c, int i, const char *key)
{
	return get(get(c->node[i], "callFrame"), key)->num;
}

static const char *cf_str(const struct cp *c, int i, const char *key)
{
	return get(get(c->node[i], "callFrame"), key)->str;
}

START_TEST(test_cpuprofile_one)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 1, 0, 0);
	size_t len;
	char *s = tk_test_report_write(&r, tk_export_cpuprofile, 0, &len);
	struct cp c;
	load(&c, s, len);
	ck_assert_uint_eq(c.n_samples, 10);
	/* ticks at 1000..10000, each owning one 1000 us interval */
	ck_assert(c.start == 1000);
	ck_assert(c.end == 11000);
	ck_assert(c.delta_sum == 9000);
	/* root, main, foo, bar, builtin, lib, C++: the tree, no pseudo-node */
	ck_assert_uint_eq(c.n, 7);
	int m = child(&c, 0, "main"), f = child(&c, m, "foo"), b = child(&c, f, "bar");
	ck_assert_int_gt(m, 0);
	ck_assert_int_gt(f, 0);
	ck_assert_int_gt(b, 0);
	int push = child(&c, b, TK_TR_BUILTIN), lib = child(&c, f, TK_TR_LIB), cpp = child(&c, m, TK_TR_CPP);
	ck_assert_int_gt(push, 0);
	ck_assert_int_gt(lib, 0);
	ck_assert_int_gt(cpp, 0);
	ck_assert(c.hits_of_samples[m] == 0);
	ck_assert(c.hits_of_samples[f] == 2);
	ck_assert(c.hits_of_samples[b] == 4);
	ck_assert(c.hits_of_samples[push] == 2);
	/* the samples in time order */
	const int want[10] = { b, f, push, b, cpp, b, lib, push, f, b };
	for (int k = 0; k < 10; k++)
		ck_assert_msg(c.sample[k] == want[k], "sample %d is %s", k, fn(&c, c.sample[k]));
	/* callFrames: 0-based positions, one scriptId per script */
	ck_assert_str_eq(cf_str(&c, m, "url"), "/app/main.js");
	ck_assert(cf_num(&c, m, "lineNumber") == 0 && cf_num(&c, m, "columnNumber") == 0);
	ck_assert(cf_num(&c, b, "lineNumber") == 19 && cf_num(&c, b, "columnNumber") == 4);
	ck_assert_str_eq(cf_str(&c, m, "scriptId"), cf_str(&c, f, "scriptId"));
	ck_assert_str_ne(cf_str(&c, m, "scriptId"), cf_str(&c, b, "scriptId"));
	ck_assert_str_ne(cf_str(&c, m, "scriptId"), "0");
	ck_assert_str_eq(cf_str(&c, push, "url"), "");
	ck_assert_str_eq(cf_str(&c, push, "scriptId"), "0");
	ck_assert(cf_num(&c, push, "lineNumber") == -1);
	ck_assert_str_eq(cf_str(&c, cpp, "url"), TK_TR_NODE);
	ck_assert_str_eq(cf_str(&c, lib, "url"), TK_TR_LIB);
	tk_jr_free(&c.doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

/* many scripts (more than an index's first slots hold): two functions
 * of one script share its scriptId, no two scripts share one */
START_TEST(test_cpuprofile_many_scripts)
{
	enum { NS = 24 };
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 1, 0, 1);
	for (int k = 0; k < NS; k++)
		for (int g = 0; g < 2; g++) {
			char nm[64];
			snprintf(nm, sizeof nm, "JS: ~%c%d /app/s%d.js:%d:1", g ? 'g' : 'f', k, k, g + 1);
			uint32_t path[] = { r.main, tk_names_intern(&r.names, nm, strlen(nm), TK_KIND_JS)->id };
			tk_test_report_tick(&r.iso[0], path, 2, 11000 + (uint64_t)(2 * k + g) * 1000, TK_VM_JS);
		}
	size_t len;
	char *s = tk_test_report_write(&r, tk_export_cpuprofile, 0, &len);
	struct cp c;
	load(&c, s, len);
	int m = child(&c, 0, "main");
	const char *id[NS];
	for (int k = 0; k < NS; k++) {
		char f[16], g[16];
		snprintf(f, sizeof f, "f%d", k);
		snprintf(g, sizeof g, "g%d", k);
		int fi = child(&c, m, f), gi = child(&c, m, g);
		ck_assert_int_gt(fi, 0);
		ck_assert_int_gt(gi, 0);
		id[k] = cf_str(&c, fi, "scriptId");
		ck_assert_str_eq(cf_str(&c, gi, "scriptId"), id[k]);
		ck_assert_str_ne(id[k], cf_str(&c, m, "scriptId"));
		for (int j = 0; j < k; j++)
			ck_assert_str_ne(id[j], id[k]);
	}
	tk_jr_free(&c.doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

/* a tick with no frames: a "(garbage collector)" node under the root */
START_TEST(test_cpuprofile_frameless)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 1, 1, 0);
	size_t len;
	char *s = tk_test_report_write(&r, tk_export_cpuprofile, 0, &len);
	struct cp c;
	load(&c, s, len);
	ck_assert_uint_eq(c.n_samples, 11);
	ck_assert_uint_eq(c.n, 8);
	int gc = child(&c, 0, "(garbage collector)");
	ck_assert_int_gt(gc, 0);
	ck_assert(c.hits_of_samples[gc] == 1);
	ck_assert_int_eq(c.sample[10], gc);
	ck_assert(c.end == 12000);
	ck_assert(c.delta_sum == 10000);
	tk_jr_free(&c.doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

/* two logs: one subtree per log, the second log's timeline after the
 * first's; merged: one tree, samples by logged time */
START_TEST(test_cpuprofile_two_isolates)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 1, 0, 0);
	size_t len;
	char *s = tk_test_report_write(&r, tk_export_cpuprofile, 0, &len);
	struct cp c;
	load(&c, s, len);
	ck_assert_uint_eq(c.n_samples, 15);
	int i1 = child(&c, 0, "isolate 1: " TK_TR_PATH1), i2 = child(&c, 0, "isolate 2: " TK_TR_PATH2);
	ck_assert_int_gt(i1, 0);
	ck_assert_int_gt(i2, 0);
	int b1 = child(&c, child(&c, child(&c, i1, "main"), "foo"), "bar");
	int b2 = child(&c, child(&c, child(&c, i2, "main"), "foo"), "bar");
	ck_assert_int_gt(b1, 0);
	ck_assert_int_gt(b2, 0);
	ck_assert(c.hits_of_samples[b1] == 4);
	ck_assert(c.hits_of_samples[b2] == 3);
	ck_assert_int_eq(c.sample[0], b1);
	ck_assert_int_eq(c.sample[10], b2);
	/* log 1: 1000..10000 + 1000; log 2 (100..500) from 11000, + 500 */
	ck_assert(c.start == 1000);
	ck_assert(c.end == 11900);
	ck_assert(c.delta_sum == 10400);
	tk_jr_free(&c.doc);
	free(s);

	s = tk_test_report_write(&r, tk_export_cpuprofile, 1, &len);
	load(&c, s, len);
	ck_assert_uint_eq(c.n_samples, 15);
	ck_assert_int_lt(child(&c, 0, "isolate 1: " TK_TR_PATH1), 0);
	int m = child(&c, 0, "main"), b = child(&c, child(&c, m, "foo"), "bar");
	ck_assert_int_gt(b, 0);
	ck_assert(c.hits_of_samples[b] == 7);
	int q = child(&c, m, "qux<&>");
	ck_assert_int_gt(q, 0);
	ck_assert(c.hits_of_samples[q] == 2);
	/* log 2's ticks (100..500) come first */
	ck_assert_int_eq(c.sample[0], b);
	ck_assert_int_eq(c.sample[1], q);
	ck_assert(c.start == 100);
	ck_assert(c.end == 11000);
	ck_assert(c.delta_sum == 9900);
	tk_jr_free(&c.doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

Suite *tk_suite_out_cpuprofile(void)
{
	Suite *s = suite_create("out_cpuprofile");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_cpuprofile_one);
	tcase_add_test(tc, test_cpuprofile_frameless);
	tcase_add_test(tc, test_cpuprofile_two_isolates);
	tcase_add_test(tc, test_cpuprofile_many_scripts);
	suite_add_tcase(s, tc);
	return s;
}
