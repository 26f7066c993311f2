/* srcpos_consumer: srcpos fed the events it reads (srcpos_consumer.h). */
#include <stdlib.h>
#include "ingest/srcpos_consumer.h"
#include "base/util.h"
#include "js/srcpos.h"
#include "model/codemap.h"

struct ctx {
	struct tk_srcpos *sp;
	struct tk_codemap *code;
	const struct tk_code *const *added;
	int info_gen;
};

static void sp_event(void *ctx, const struct tk_ev *ev)
{
	struct ctx *x = ctx;
	if (ev->bad)
		return;
	switch (ev->type) {
	case TK_EV_CODE_CREATION:
		if (ev->u.code.is_func)
			tk_srcpos_code(x->sp, ev->u.code.start, ev->u.code.sfi, (*x->added)->display);
		break;
	case TK_EV_CODE_SOURCE_INFO:
		tk_srcpos_code_info(x->sp, x->code, &ev->u.info);
		if (x->info_gen)
			x->code->gen++; /* ticks cached before it resolve anew */
		break;
	case TK_EV_SCRIPT_SOURCE:
	case TK_EV_SCRIPT: /* Node 10: "script,ID,URL,SOURCE" */
		tk_srcpos_script(x->sp, ev->f, &ev->u.script);
		x->code->gen++;
		break;
	default:
		break;
	}
}

static int sp_active(const void *sp)
{
	return tk_srcpos_active(sp);
}

static size_t sp_frames(void *sp, struct tk_names *names, struct tk_code *c, const struct tk_name *name,
			uint64_t pc, int top, uint32_t *out, size_t max)
{
	return tk_srcpos_frames(sp, names, c, name, pc, top, out, max);
}

void tk_srcpos_consumer(struct tk_srcpos *sp, struct tk_codemap *code, const struct tk_code *const *added,
			int info_gen, struct tk_consumer *c, struct tk_js_frames *js)
{
	struct ctx *x = tk_xmalloc(sizeof *x);
	*x = (struct ctx){ sp, code, added, info_gen };
	*c = (struct tk_consumer){
		.ctx = x, .flags = TK_CONS_AFTER, .event = sp_event, .free = free,
		.types = TK_EV_BIT(TK_EV_CODE_CREATION) | TK_EV_BIT(TK_EV_CODE_SOURCE_INFO) |
			 TK_EV_BIT(TK_EV_SCRIPT_SOURCE) | TK_EV_BIT(TK_EV_SCRIPT),
	};
	*js = (struct tk_js_frames){ .ctx = sp, .active = sp_active, .frames = sp_frames };
}
