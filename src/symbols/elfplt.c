/* elfplt: x86-64 and aarch64 PLT entries named "name@plt", as objdump -d
 * names them: each entry's jump is decoded to its GOT slot and matched
 * with the relocation that names the dynamic symbol. The file's e_machine
 * picks the decoder. Part of elfsym (libelf). */
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/elfsym_int.h"
#include "base/util.h"

/* A GOT slot a PLT entry jumps through, and the .dynsym index of the
 * symbol its relocation resolves. */
struct slot {
	uint64_t got;
	uint32_t sym;
};

static int slot_cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	return x->got < y->got ? -1 : x->got > y->got;
}

/* The GOT slot of an x86-64 PLT entry: its "jmp *disp32(%rip)" (ff 25),
 * after an endbr64 (IBT) and/or a bnd prefix (MPX) where present. This
 * covers lazy .plt entries, .plt.sec/.plt.bnd and .plt.got; the lazy
 * half of an IBT .plt (push; jmp PLT0) has none. */
static int plt_slot(const unsigned char *p, size_t len, uint64_t addr, uint64_t *got)
{
	size_t off = 0;
	if (len >= 4 && memcmp(p, "\xf3\x0f\x1e\xfa", 4) == 0)
		off = 4;
	if (off < len && p[off] == 0xf2)
		off++;
	if (len < 6 || off > len - 6 || p[off] != 0xff || p[off + 1] != 0x25)
		return 0;
	uint32_t disp = (uint32_t)p[off + 2] | (uint32_t)p[off + 3] << 8 |
			(uint32_t)p[off + 4] << 16 | (uint32_t)p[off + 5] << 24;
	/* disp is signed: sign-extend, wrap around as the CPU does */
	*got = addr + off + 6 + (uint64_t)(int64_t)(int32_t)disp;
	return 1;
}

/* aarch64 instructions (little-endian words) of a PLT entry. */
static uint32_t a64_word(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define A64_BTI_C 0xd503245fu

/* The GOT slot of an aarch64 PLT entry at addr: "adrp x16, PAGE" then
 * "ldr x17, [x16, #OFF]" (then add x16; br x17, or autia1716 first with
 * PAC), the slot being PAGE + OFF. 0 when p holds no such pair. */
static int a64_slot(const unsigned char *p, uint64_t addr, uint64_t *got)
{
	uint32_t adrp = a64_word(p), ldr = a64_word(p + 4);
	if ((adrp & 0x9f00001fu) != 0x90000010u || (ldr & 0xffc003ffu) != 0xf9400211u)
		return 0;
	uint64_t imm = (uint64_t)((adrp >> 5) & 0x7ffff) << 2 | ((adrp >> 29) & 3);
	if (imm & (1u << 20))
		imm |= ~(uint64_t)0x1fffff; /* 21-bit signed page count */
	*got = (addr & ~(uint64_t)0xfff) + (imm << 12) + (uint64_t)((ldr >> 10) & 0xfff) * 8;
	return 1;
}

/* The .dynsym entries the PLT entries name. The PLT sections are walked
 * twice: the first walk only collects the indexes (every lookup fails, so
 * it keeps nothing), which are then read at once, a few preads instead of
 * one per entry (libstdc++: a thousand); the second walk looks them up. */
struct dynents {
	uint32_t *idx;          /* ascending, distinct once read */
	size_t n, cap;
	GElf_Sym *sym;
	unsigned char *ok;
	int ready;              /* read: lookups answer */
};

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* .dynsym entry i (at most INT_MAX), as tk_elfsym_read_sym reads it; -1
 * while collecting. */
static int dyn_get(struct dynents *de, uint32_t i, GElf_Sym *out)
{
	if (!de->ready) {
		tk_xgrow((void **)&de->idx, &de->cap, de->n + 1, sizeof *de->idx);
		de->idx[de->n++] = i;
		return -1;
	}
	const uint32_t *p = de->n ? bsearch(&i, de->idx, de->n, sizeof *de->idx, u32_cmp) : NULL;
	if (!p || !de->ok[p - de->idx])
		return -1;
	*out = de->sym[p - de->idx];
	return 0;
}

static void dyn_read(struct dynents *de, Elf *elf, const struct tables *t)
{
	if (de->n > 1)
		qsort(de->idx, de->n, sizeof *de->idx, u32_cmp);
	size_t m = 0;
	for (size_t i = 0; i < de->n; i++)
		if (m == 0 || de->idx[i] != de->idx[m - 1])
			de->idx[m++] = de->idx[i];
	de->n = m;
	de->sym = tk_xmalloc((m ? m : 1) * sizeof *de->sym);
	de->ok = tk_xmalloc(m ? m : 1);
	tk_elfsym_read_syms(t->fd, elf, t->file_size, &t->dynsym_sh, de->idx, m, de->sym, de->ok);
	de->ready = 1;
}

/* One PLT entry found, before its name is built. */
struct pltent {
	uint64_t addr, size;
	uint32_t name;          /* the .dynsym name's offset in .dynstr */
	const struct sec *sec;
};

/* The relocations against .dynsym: GOT slot -> symbol (JUMP_SLOT and
 * GLOB_DAT; IRELATIVE and the others name nothing), and .rela.plt's
 * symbols in order (0 where unnamed) for entries that do not decode. */
static void read_slots(Elf *elf, const struct tables *t, unsigned jump_slot, unsigned glob_dat,
		       struct slot **slots, size_t *ns, uint32_t **order, size_t *no)
{
	size_t scap = 0, ocap = 0, esz = gelf_fsize(elf, ELF_T_RELA, 1, EV_CURRENT);
	Elf_Scn *scn = NULL;
	while (esz && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || sh.sh_link != t->dynsym_idx)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		size_t count = d->d_size / esz;
		if (count > INT_MAX)
			count = INT_MAX;
		int in_plt = scn == t->rela_plt;
		tk_xgrow((void **)slots, &scap, *ns + count, sizeof **slots);
		if (in_plt)
			tk_xgrow((void **)order, &ocap, *no + count, sizeof **order);
		for (size_t i = 0; i < count; i++) {
			GElf_Rela r;
			if (!gelf_getrela(d, (int)i, &r))
				continue;
			unsigned type = (unsigned)GELF_R_TYPE(r.r_info);
			uint32_t sym = (uint32_t)GELF_R_SYM(r.r_info);
			if (type != jump_slot && type != glob_dat)
				sym = 0;
			if (in_plt)
				(*order)[(*no)++] = type == jump_slot ? sym : 0;
			if (sym)
				(*slots)[(*ns)++] = (struct slot){ r.r_offset, sym };
		}
	}
	if (*ns > 1)
		qsort(*slots, *ns, sizeof **slots, slot_cmp);
}

/* Appends the entries of one PLT section. first: entries before it are
 * headers (PLT0); rel0: the .rela.plt index of entry `first` for the
 * entries that do not decode, or -1 for none. */
static void plt_section(Elf *elf, const struct tables *t, struct dynents *de, Elf_Scn *scn, uint64_t defsize,
			size_t first, long rel0, uint64_t dynstr_size,
			const struct slot *slots, size_t ns, const uint32_t *order, size_t no,
			struct pltent **out, size_t *n, size_t *cap)
{
	GElf_Shdr sh;
	size_t idx = elf_ndxscn(scn);
	if (!gelf_getshdr(scn, &sh) || idx >= t->nsec || !(sh.sh_flags & SHF_EXECINSTR))
		return;
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf)
		return;
	uint64_t ent = sh.sh_entsize == 8 || sh.sh_entsize == 16 ? sh.sh_entsize : defsize;
	size_t size = d->d_size < sh.sh_size ? d->d_size : (size_t)sh.sh_size;
	const unsigned char *p = d->d_buf;
	for (size_t k = first; k < size / ent; k++) {
		uint64_t addr = sh.sh_addr + k * ent, got;
		uint32_t sym = 0;
		if (plt_slot(p + k * ent, (size_t)ent, addr, &got)) {
			struct slot key = { got, 0 };
			const struct slot *s = ns ? bsearch(&key, slots, ns, sizeof *slots, slot_cmp) : NULL;
			sym = s ? s->sym : 0;
		} else if (rel0 >= 0 && (size_t)rel0 + (k - first) < no) {
			sym = order[(size_t)rel0 + (k - first)];
		}
		GElf_Sym s;
		if (!sym || sym > INT_MAX || dyn_get(de, sym, &s) < 0)
			continue;
		if (s.st_name == 0 || s.st_name >= dynstr_size)
			continue;
		tk_xgrow((void **)out, cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = (struct pltent){ addr, ent, s.st_name, &t->secs[idx] };
	}
}

/* Appends the entries of an aarch64 .plt: every adrp/ldr pair (see
 * a64_slot) starts one, with a "bti c" before it (BTI PLTs) included,
 * and it runs to the next one; PLT0's pair reaches the resolver's slot,
 * which no relocation names. Entries are 16 bytes, 24 with BTI or PAC. */
static void plt_a64(Elf *elf, const struct tables *t, struct dynents *de, uint64_t dynstr_size,
		    const struct slot *slots, size_t ns, struct pltent **out, size_t *n, size_t *cap)
{
	GElf_Shdr sh;
	size_t idx = elf_ndxscn(t->plt);
	if (!gelf_getshdr(t->plt, &sh) || idx >= t->nsec || !(sh.sh_flags & SHF_EXECINSTR))
		return;
	Elf_Data *d = elf_getdata(t->plt, NULL);
	if (!d || !d->d_buf)
		return;
	size_t size = d->d_size < sh.sh_size ? d->d_size : (size_t)sh.sh_size;
	const unsigned char *p = d->d_buf;
	size_t first = *n;
	for (size_t off = 0; off + 8 <= size; off += 4) {
		uint64_t got;
		if (!a64_slot(p + off, sh.sh_addr + off, &got))
			continue;
		uint64_t addr = sh.sh_addr + off;
		if (off >= 4 && a64_word(p + off - 4) == A64_BTI_C)
			addr -= 4;
		/* the entry before this one ends here */
		if (*n > first && (*out)[*n - 1].size == 0)
			(*out)[*n - 1].size = addr - (*out)[*n - 1].addr;
		struct slot key = { got, 0 };
		const struct slot *s = ns ? bsearch(&key, slots, ns, sizeof *slots, slot_cmp) : NULL;
		GElf_Sym sym;
		if (!s || s->sym > INT_MAX || dyn_get(de, s->sym, &sym) < 0 ||
		    sym.st_name == 0 || sym.st_name >= dynstr_size)
			continue;
		tk_xgrow((void **)out, cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = (struct pltent){ addr, 0, sym.st_name, &t->secs[idx] };
		off += 4;
	}
	if (*n > first && (*out)[*n - 1].size == 0)
		(*out)[*n - 1].size = sh.sh_addr + size - (*out)[*n - 1].addr;
}

/* Appends "name@plt" for each PLT entry whose relocation names a dynamic
 * symbol. x86-64: .plt (after PLT0; not when .plt.sec holds the entries
 * the code calls) and .plt.sec, entry i+1 resp. i for relocation i of
 * .rela.plt, and .plt.got. aarch64: .plt (plt_a64). Names are read when a
 * symbol is hit. */
void tk_elfplt_add(struct tk_elfsym *e, const struct tables *t, struct candv *cv)
{
	if (!(t->x86_64 || t->aarch64) || !t->dynsym || !(t->plt || t->plt_sec || t->plt_got))
		return;
	uint64_t strsize = tk_elfsym_strtab(e->elf, &t->dynsym_sh, t->file_size).size;
	if (!strsize)
		return;
	struct slot *slots = NULL;
	uint32_t *order = NULL;
	size_t ns = 0, no = 0, n = 0, cap = 0;
	struct pltent *pe = NULL;
	struct dynents de = {0};
	if (t->aarch64)
		read_slots(e->elf, t, R_AARCH64_JUMP_SLOT, R_AARCH64_GLOB_DAT, &slots, &ns, &order, &no);
	else
		read_slots(e->elf, t, R_X86_64_JUMP_SLOT, R_X86_64_GLOB_DAT, &slots, &ns, &order, &no);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			dyn_read(&de, e->elf, t);
		n = 0; /* the collecting walk kept nothing */
		if (t->aarch64 && t->plt)
			plt_a64(e->elf, t, &de, strsize, slots, ns, &pe, &n, &cap);
		if (t->x86_64 && t->plt && !t->plt_sec)
			plt_section(e->elf, t, &de, t->plt, 16, 1, 0, strsize, slots, ns, order, no, &pe, &n, &cap);
		if (t->x86_64 && t->plt_sec)
			plt_section(e->elf, t, &de, t->plt_sec, 16, 0, 0, strsize, slots, ns, order, no, &pe, &n, &cap);
		if (t->x86_64 && t->plt_got)
			plt_section(e->elf, t, &de, t->plt_got, 8, 0, -1, strsize, slots, ns, order, no, &pe, &n, &cap);
	}
	free(de.idx);
	free(de.sym);
	free(de.ok);
	tk_xgrow((void **)&cv->v, &cv->cap, cv->n + n, sizeof *cv->v);
	for (size_t i = 0; i < n; i++) {
		struct cand *c = &cv->v[cv->n];
		*c = (struct cand){ .start = pe[i].addr, .idx = (uint32_t)cv->n,
				    .name = { .off = pe[i].name, .src = SRC_PLT } };
		tk_cand_size(c, pe[i].size, pe[i].sec);
		cv->n++;
	}
	free(pe);
	free(slots);
	free(order);
}
