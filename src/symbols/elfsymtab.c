/* elfsymtab: the part of elfsym that reads symbol tables into candidates
 * (sorted by elfsort.c), keeps one symbol per start, and names a symbol
 * when it is first handed out.
 *
 * Memory is the point here: node's binary has ~185,000 function symbols
 * in 4 MB of tables and 13 MB of strings. Tables are read with pread in
 * small chunks (mapped pages would stay resident), strings are not read
 * at all until a symbol is hit (a tick lands in a few hundred of them),
 * .dynsym entries at a start .symtab already has are dropped on reading
 * (they could never win), candidates are sorted in place, and the kept
 * symbols are written over the candidates, 24 bytes each. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "symbols/elfsym_int.h"

#define SYM_CHUNK 1024

static int pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	char *p = buf;
	while (n) {
		if (off > (uint64_t)LLONG_MAX)
			return -1;
		ssize_t r = pread(fd, p, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/* A section whose bytes can be read from the file: not NOBITS (a debug
 * file's .dynsym), not compressed, inside the file. */
static int in_file(const GElf_Shdr *sh, uint64_t file_size)
{
	return sh->sh_type != SHT_NOBITS && !(sh->sh_flags & SHF_COMPRESSED) &&
	       sh->sh_offset <= file_size && sh->sh_size <= file_size - sh->sh_offset;
}

/* Some of v[0..n) (sorted) is start. Branch-free steps over 8-byte keys. */
static int has_start(const uint64_t *v, size_t n, uint64_t start)
{
	if (n == 0)
		return 0;
	const uint64_t *base = v;
	while (n > 1) {
		size_t half = n / 2;
		base = base[half] <= start ? base + half : base;
		n -= half;
	}
	return *base == start;
}

/* The sorted starts of the .symtab candidates, for the test that drops a
 * .dynsym entry at one of them (node: 75,000 entries against 86,000
 * starts; a binary search over all of them was 10 M instructions, more
 * than any other step of the read). 2^b buckets split [lo, hi] evenly,
 * each holding the index of its first start: a test searches one bucket,
 * a few starts. */
struct starts {
	uint64_t *v;
	size_t n;
	uint64_t lo, hi;
	unsigned shift;
	uint32_t *bkt;      /* nb + 1 entries */
};

static void starts_init(struct starts *s, const struct candv *cv)
{
	*s = (struct starts){ 0 };
	if (cv->n == 0 || cv->n > UINT32_MAX)
		return;
	s->n = cv->n;
	s->v = tk_xmalloc(s->n * sizeof *s->v);
	for (size_t i = 0; i < s->n; i++)
		s->v[i] = cv->v[i].start;
	s->lo = s->v[0];
	s->hi = s->v[s->n - 1];
	size_t nb = 2; /* >= 2: (hi - lo) >> 63 is at most 1 */
	while (nb < s->n / 4 && nb < ((size_t)1 << 24))
		nb *= 2;
	while (s->shift < 63 && ((s->hi - s->lo) >> s->shift) >= nb)
		s->shift++;
	s->bkt = tk_xmalloc((nb + 1) * sizeof *s->bkt);
	size_t i = 0;
	for (size_t b = 0; b <= nb; b++) {
		while (i < s->n && ((s->v[i] - s->lo) >> s->shift) < b)
			i++;
		s->bkt[b] = (uint32_t)i;
	}
}

static int starts_has(const struct starts *s, uint64_t start)
{
	if (s->n == 0 || start < s->lo || start > s->hi)
		return 0;
	size_t b = (size_t)((start - s->lo) >> s->shift);
	return has_start(s->v + s->bkt[b], s->bkt[b + 1] - s->bkt[b], start);
}

/* The host's byte order as e_ident names it: a table in it is read into
 * Elf32_Sym/Elf64_Sym as it is (their file layout is the struct's), with
 * no gelf_xlatetom copy. */
static int host_data(void)
{
	const uint16_t one = 1;
	unsigned char c;
	memcpy(&c, &one, 1);
	return c ? ELFDATA2LSB : ELFDATA2MSB;
}

struct strtab tk_elfsym_strtab(Elf *elf, const GElf_Shdr *sh, uint64_t file_size)
{
	struct strtab t = { 0, 0 };
	GElf_Shdr ssh;
	Elf_Scn *scn = elf_getscn(elf, sh->sh_link);
	if (scn && gelf_getshdr(scn, &ssh) && ssh.sh_type == SHT_STRTAB && in_file(&ssh, file_size)) {
		t.off = ssh.sh_offset;
		t.size = ssh.sh_size;
	}
	return t;
}

/* The entry of esz bytes at raw, in the file's byte order, into out. */
static int sym_of_raw(Elf *elf, const GElf_Ehdr *eh, const unsigned char *raw, size_t esz, GElf_Sym *out)
{
	Elf64_Sym mem[1];
	Elf_Data src = { .d_buf = (void *)raw, .d_type = ELF_T_SYM, .d_size = esz, .d_version = EV_CURRENT };
	Elf_Data dst = { .d_buf = mem, .d_size = sizeof mem, .d_version = EV_CURRENT };
	if (!gelf_xlatetom(elf, &dst, &src, eh->e_ident[EI_DATA]))
		return -1;
	if (eh->e_ident[EI_CLASS] == ELFCLASS64) {
		const Elf64_Sym *p = mem;
		*out = (GElf_Sym){ p->st_name, p->st_info, p->st_other, p->st_shndx, p->st_value, p->st_size };
	} else {
		const Elf32_Sym *p = (const Elf32_Sym *)mem;
		*out = (GElf_Sym){ p->st_name, p->st_info, p->st_other, p->st_shndx, p->st_value, p->st_size };
	}
	return 0;
}

int tk_elfsym_read_sym(int fd, Elf *elf, uint64_t file_size, const GElf_Shdr *sh, size_t i, GElf_Sym *out)
{
	GElf_Ehdr eh;
	size_t esz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	unsigned char raw[sizeof(Elf64_Sym)];
	if (!esz || esz > sizeof raw || !gelf_getehdr(elf, &eh) || !in_file(sh, file_size) ||
	    i >= sh->sh_size / esz || pread_all(fd, raw, esz, sh->sh_offset + i * esz) < 0)
		return -1;
	return sym_of_raw(elf, &eh, raw, esz, out);
}

/* A run of wanted entries is read with one pread while the next wanted
 * entry is at most RUN_GAP entries past the last and the run stays
 * within RUN_MAX entries (24 KiB of Elf64_Sym). */
#define RUN_GAP 64
#define RUN_MAX 1024

void tk_elfsym_read_syms(int fd, Elf *elf, uint64_t file_size, const GElf_Shdr *sh,
			 const uint32_t *idx, size_t n, GElf_Sym *out, unsigned char *ok)
{
	GElf_Ehdr eh;
	size_t esz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	memset(ok, 0, n);
	if (!n || !esz || esz > sizeof(Elf64_Sym) || !gelf_getehdr(elf, &eh) || !in_file(sh, file_size))
		return;
	uint64_t count = sh->sh_size / esz;
	unsigned char *buf = tk_xmalloc(RUN_MAX * esz);
	for (size_t a = 0, b; a < n; a = b) {
		if (idx[a] >= count) {
			b = a + 1;
			continue;
		}
		for (b = a + 1; b < n && idx[b] < count && idx[b] - idx[b - 1] <= RUN_GAP &&
				idx[b] - idx[a] < RUN_MAX; b++)
			;
		size_t k = (size_t)(idx[b - 1] - idx[a]) + 1;
		if (pread_all(fd, buf, k * esz, sh->sh_offset + (uint64_t)idx[a] * esz) < 0) {
			/* what each entry alone would give (a file cut short) */
			for (size_t j = a; j < b; j++)
				ok[j] = tk_elfsym_read_sym(fd, elf, file_size, sh, idx[j], &out[j]) == 0;
			continue;
		}
		for (size_t j = a; j < b; j++)
			ok[j] = sym_of_raw(elf, &eh, buf + (size_t)(idx[j] - idx[a]) * esz, esz, &out[j]) == 0;
	}
	free(buf);
}

/* Whether the name at off of str is an ARM/AArch64 mapping symbol ("$x",
 * "$d", "$a", "$t", or one of them followed by "." and anything): local
 * labels that mark code and data in a section, never a function's name
 * (nm and objdump hide them). */
static int mapping_symbol(int fd, const struct strtab *str, uint64_t off)
{
	unsigned char p[3] = { 0, 0, 0 };
	size_t n = str->size - off < 3 ? (size_t)(str->size - off) : 3;
	if (pread_all(fd, p, n, str->off + off) < 0 || p[0] != '$')
		return 0;
	return (p[1] == 'x' || p[1] == 'd' || p[1] == 'a' || p[1] == 't') && (p[2] == '\0' || p[2] == '.');
}

void tk_elfsym_read_table(const struct tk_symtab_read *r, struct candv *cv)
{
	const GElf_Shdr *sh = r->sh;
	Elf *elf = r->elf;
	GElf_Ehdr eh;
	GElf_Shdr xsh;
	size_t esz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	if (!esz || !gelf_getehdr(elf, &eh) || !in_file(sh, r->file_size))
		return;
	/* Names are only checked to lie inside a string table here: an
	 * offset of 0 or past the table is no name (what elf_strptr says). */
	struct strtab str = tk_elfsym_strtab(elf, sh, r->file_size);
	if (!str.size)
		return;
	int have_x = r->shndx && gelf_getshdr(r->shndx, &xsh) && xsh.sh_type == SHT_SYMTAB_SHNDX &&
		     in_file(&xsh, r->file_size);
	Elf_Data *versym = r->versym && r->versym->d_buf ? r->versym : NULL;
	int is64 = eh.e_ident[EI_CLASS] == ELFCLASS64;
	int arm = eh.e_machine == EM_AARCH64 || eh.e_machine == EM_ARM;
	uint64_t map_off[4] = { 0, 0, 0, 0 }; /* names known to be mapping symbols */
	unsigned nmap = 0;
	size_t count = sh->sh_size / esz;
	if (count > INT_MAX)
		count = INT_MAX;
	size_t from = r->from;
	if (r->to && r->to < count)
		count = r->to;
	/* .dynsym: the starts of the (sorted) .symtab candidates */
	struct starts starts = { 0 };
	if (r->dyn)
		starts_init(&starts, cv);
	int native = eh.e_ident[EI_DATA] == host_data() &&
		     esz == (is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym));
	unsigned char *raw = native ? NULL : tk_xmalloc(SYM_CHUNK * esz);
	void *mem = tk_xmalloc(SYM_CHUNK * sizeof(Elf64_Sym));
	uint32_t *xraw = have_x ? tk_xmalloc(SYM_CHUNK * 2 * sizeof *xraw) : NULL, *xmem = xraw ? xraw + SYM_CHUNK : NULL;
	for (size_t base = from; base < count; base += SYM_CHUNK) {
		size_t k = count - base < SYM_CHUNK ? count - base : SYM_CHUNK;
		if (pread_all(r->fd, native ? mem : raw, k * esz, sh->sh_offset + base * esz) < 0)
			break;
		Elf_Data src = { .d_buf = raw, .d_type = ELF_T_SYM, .d_size = k * esz, .d_version = EV_CURRENT };
		Elf_Data dst = { .d_buf = mem, .d_size = SYM_CHUNK * sizeof(Elf64_Sym), .d_version = EV_CURRENT };
		if (!native && !gelf_xlatetom(elf, &dst, &src, eh.e_ident[EI_DATA]))
			break;
		size_t xk = 0; /* extended indexes read for this chunk */
		if (have_x && (uint64_t)base * 4 < xsh.sh_size) {
			xk = (size_t)((xsh.sh_size / 4 - base) < k ? xsh.sh_size / 4 - base : k);
			Elf_Data xs = { .d_buf = xraw, .d_type = ELF_T_WORD, .d_size = xk * 4, .d_version = EV_CURRENT };
			Elf_Data xd = { .d_buf = xmem, .d_size = SYM_CHUNK * 4, .d_version = EV_CURRENT };
			if (pread_all(r->fd, native ? xmem : xraw, xk * 4, xsh.sh_offset + base * 4) < 0 ||
			    (!native && !gelf_xlatetom(elf, &xd, &xs, eh.e_ident[EI_DATA])))
				xk = 0;
		}
		tk_xgrow((void **)&cv->v, &cv->cap, cv->n + k, sizeof *cv->v);
		for (size_t j = 0; j < k; j++) {
			size_t i = base + j;
			if (i == 0)
				continue; /* the reserved null symbol */
			GElf_Sym s;
			if (is64) {
				const Elf64_Sym *p = (const Elf64_Sym *)mem + j;
				s = (GElf_Sym){ p->st_name, p->st_info, p->st_other, p->st_shndx, p->st_value, p->st_size };
			} else {
				const Elf32_Sym *p = (const Elf32_Sym *)mem + j;
				s = (GElf_Sym){ p->st_name, p->st_info, p->st_other, p->st_shndx, p->st_value, p->st_size };
			}
			int type = GELF_ST_TYPE(s.st_info);
			int label = type == STT_NOTYPE || type == STT_OBJECT;
			if (!label && type != STT_FUNC && type != STT_GNU_IFUNC)
				continue;
			if (s.st_value == 0)
				continue;
			size_t shndx = s.st_shndx;
			if (shndx == SHN_XINDEX) {
				if (j >= xk)
					continue; /* what gelf_getsymshndx refuses */
				shndx = xmem[j];
			} else if (shndx == SHN_UNDEF || shndx >= SHN_LORESERVE) {
				continue; /* undefined, SHN_ABS, SHN_COMMON, ... */
			}
			if (shndx == SHN_UNDEF || shndx >= r->nsec)
				continue;
			/* Untyped labels and objects only count inside code: that
			 * is what nm prints as t/T (OpenSSL's asm entry points,
			 * V8's blob start); elsewhere they are data. */
			if (label && !(r->secs[shndx].flags & SHF_EXECINSTR))
				continue;
			if (s.st_size && s.st_value + s.st_size < s.st_value)
				continue;
			if (s.st_name == 0 || s.st_name >= str.size)
				continue;
			if (arm && type == STT_NOTYPE && GELF_ST_BIND(s.st_info) == STB_LOCAL) {
				/* GNU ld stores each name once: the tens of thousands
				 * of a large binary share two or three offsets */
				int known = 0;
				for (int m = 0; m < 4 && !known; m++)
					known = map_off[m] == s.st_name;
				if (known)
					continue;
				if (mapping_symbol(r->fd, &str, s.st_name)) {
					map_off[nmap++ & 3] = s.st_name;
					continue;
				}
			}
			if (r->dyn && starts_has(&starts, s.st_value))
				continue; /* .symtab wins every tie */
			GElf_Versym v = 0;
			if (r->dyn && versym && !gelf_getversym(versym, (int)i, &v))
				v = 0;
			struct cand *c = &cv->v[cv->n];
			int bind = GELF_ST_BIND(s.st_info);
			int bind_rank = bind == STB_WEAK ? 1 : bind == STB_LOCAL ? 2 : 0; /* GLOBAL, GNU_UNIQUE: 0 */
			*c = (struct cand){ .start = s.st_value, .idx = (uint32_t)cv->n,
					    .label = (uint8_t)(label | bind_rank << 1),
					    .name = { .off = s.st_name, .versym = v,
						      .src = (uint8_t)(r->dyn ? SRC_DYNSYM : SRC_SYMTAB) } };
			tk_cand_size(c, s.st_size, &r->secs[shndx]);
			cv->n++;
		}
	}
	free(raw);
	free(mem);
	free(xraw);
	free(starts.v);
	free(starts.bkt);
}

/* Names are read in batches (a dedup pass, a tie group): the file is
 * opened once per batch and checked to be the file opened at first
 * (struct fileid); once a batch has asked for more names than a whole
 * read of the table would cost, the table is read whole, once. Outside a
 * batch each name opens the file (a few hundred symbols are hit). */
#define WHOLE_AFTER 256          /* names; then read the table whole */
#define WHOLE_MAX (256u << 20)   /* bytes: larger tables are read by name */

static void names_begin(struct tk_elfsym *e)
{
	e->rd_depth++;
}

static void names_end(struct tk_elfsym *e)
{
	if (--e->rd_depth > 0)
		return;
	for (int i = 0; i < 2; i++) {
		struct strsrc *r = &e->rd[i];
		if (r->fd >= 0)
			close(r->fd);
		free(r->all);
		r->fd = -1;
		r->all = NULL;
		r->wanted = 0;
	}
}

/* The descriptor of source i (0: .symtab names, 1: .dynstr), opened
 * and checked; -1 when it cannot be, or the file changed. */
static int src_fd(struct tk_elfsym *e, int i)
{
	struct strsrc *r = &e->rd[i];
	if (r->fd >= 0 || e->changed)
		return e->changed ? -1 : r->fd;
	const char *path = i == 0 ? e->sym_path : e->path;
	const struct fileid *id = i == 0 ? e->sym_id : &e->id;
	/* O_NONBLOCK: a FIFO put at the path since must not hang the open
	 * (it is no longer the file: refused just below) */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	e->n_opens++;
	if (!tk_elfsym_same_file(e, fd, id, path)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	r->fd = fd;
	return fd;
}

/* The whole table t of source i, read once when the batch has asked for
 * many names; NULL when not (yet) worth it or not possible. */
static const char *src_all(struct tk_elfsym *e, int i, const struct strtab *t)
{
	struct strsrc *r = &e->rd[i];
	if (r->all || e->rd_depth == 0 || ++r->wanted < WHOLE_AFTER || t->size > WHOLE_MAX || t->size == 0)
		return r->all;
	int fd = src_fd(e, i);
	if (fd < 0)
		return NULL;
	char *buf = tk_xmalloc((size_t)t->size + 1);
	e->n_reads++;
	if (pread_all(fd, buf, (size_t)t->size, t->off) < 0) {
		free(buf);
		r->wanted = 0; /* by name from here on */
		return NULL;
	}
	buf[t->size] = 0; /* a last name without its NUL ends there */
	r->all = buf;
	return buf;
}

/* The NUL-terminated string at off in table t of source i, into out
 * (reset first); "" when it cannot be read. */
static void read_str(struct tk_elfsym *e, int i, const struct strtab *t, uint32_t off, struct tk_buf *out)
{
	tk_buf_reset(out);
	tk_buf_add(out, "", 0);
	if (off >= t->size)
		return;
	const char *all = src_all(e, i, t);
	if (all) {
		tk_buf_adds(out, all + off);
		return;
	}
	int fd = src_fd(e, i);
	char chunk[256];
	uint64_t at = off;
	while (fd >= 0 && at < t->size) {
		size_t want = t->size - at < sizeof chunk ? (size_t)(t->size - at) : sizeof chunk;
		e->n_reads++;
		if (pread_all(fd, chunk, want, t->off + at) < 0)
			break;
		const char *nul = memchr(chunk, 0, want);
		tk_buf_add(out, chunk, nul ? (size_t)(nul - chunk) : want);
		if (nul)
			break;
		at += want;
	}
	if (e->rd_depth == 0 && e->rd[i].fd >= 0) {
		close(e->rd[i].fd);
		e->rd[i].fd = -1;
	}
}

/* The raw name of r, into out. */
static void ref_read(struct tk_elfsym *e, const struct nameref *r, struct tk_buf *out)
{
	switch (r->src) {
	case SRC_SYMTAB:
		read_str(e, 0, &e->sym_str, r->off, out);
		break;
	case SRC_DYNSYM:
		read_str(e, 1, &e->dyn_str, r->off, out);
		break;
	default:
		read_str(e, 1, &e->dyn_str, r->off, out);
		if (e->changed)
			break;
		tk_buf_adds(out, "@plt");
		break;
	}
}

static uint64_t real_size(const struct cand *c)
{
	return c->zero ? 0 : c->size;
}

/* Which of two symbols with the same start to keep (< 0: a): .symtab
 * before .dynsym (it has the local names and no version decoration),
 * both before a synthetic PLT name (never shadows a real symbol), a
 * function before a bare label (annobin's ".annobin_foo.c" or OpenSSL's
 * "_avx_shortcut" sit on real function starts and would otherwise win on
 * '.' and '_' sorting low), then the name a user knows, as perf chooses:
 * global before weak before local (libc's `write` is weak, its
 * `__GI___libc_write` local), fewer leading underscores (`write` before
 * `__write`), then the lowest name as `nm -n` lists it, then the larger
 * size. label holds the function/label bit and, above it, the binding's
 * rank (0 global, 1 weak, 2 local). */
static int rank(const struct cand *c)
{
	return (c->name.src * 2 + (c->label & 1)) * 3 + (c->label >> 1);
}

/* fewer leading underscores first, then strcmp */
static int name_cmp(const char *a, const char *b)
{
	size_t ua = strspn(a, "_"), ub = strspn(b, "_");
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return strcmp(a, b);
}

/* a (named an) before b (named bn), both of the same rank */
static int cand_cmp(const struct cand *a, const char *an, const struct cand *b, const char *bn)
{
	int r = name_cmp(an, bn);
	if (r)
		return r;
	if (real_size(a) != real_size(b))
		return real_size(a) > real_size(b) ? -1 : 1;
	return 0;
}

/* Keeps the best candidate of each run of equal starts at the front of
 * v (marked tie when only names would decide: then its name indexes
 * e->ties); returns how many. */
static size_t dedup(struct tk_elfsym *e, struct cand *v, size_t nc)
{
	size_t m = 0, tcap = 0;
	struct tk_buf bn = {0}, cn = {0}; /* the best name so far, a contender's */
	names_begin(e);
	for (size_t i = 0, j; i < nc; i = j) {
		if (i + 1 == nc || v[i + 1].start != v[i].start) {
			/* most starts have one candidate: kept as it is */
			j = i + 1;
			if (m != i)
				v[m] = v[i];
			v[m++].tie = 0;
			continue;
		}
		size_t best = i, nbest = 1;
		int same_size = 1;
		for (j = i + 1; j < nc && v[j].start == v[i].start; j++) {
			if (rank(&v[j]) < rank(&v[best])) {
				best = j;
				nbest = 1;
				same_size = 1;
			} else if (rank(&v[j]) == rank(&v[best])) {
				nbest++;
				if (v[j].size != v[best].size || v[j].zero != v[best].zero ||
				    v[j].at_end != v[best].at_end)
					same_size = 0; /* the symbol's end would depend on the name */
			}
		}
		struct cand c = v[best];
		c.tie = 0;
		if (nbest > 1 && !same_size) {
			/* the size depends on the name: decide now, each
			 * name read once */
			ref_read(e, &v[best].name, &bn);
			for (size_t k = best + 1; k < j; k++) {
				if (rank(&v[k]) != rank(&v[best]))
					continue;
				ref_read(e, &v[k].name, &cn);
				if (cand_cmp(&v[k], cn.p, &v[best], bn.p) < 0) {
					best = k;
					struct tk_buf t = bn;
					bn = cn;
					cn = t;
				}
			}
			c = v[best];
			c.tie = 0;
		} else if (nbest > 1) {
			/* equal but for the name (C1/C2 constructors, aliases):
			 * the names are compared when the symbol is hit */
			tk_xgrow((void **)&e->ties, &tcap, e->nties + nbest, sizeof *e->ties);
			c.tie = 1;
			c.name.off = (uint32_t)e->nties;
			for (size_t k = best; k < j; k++) {
				if (rank(&v[k]) != rank(&c))
					continue;
				e->ties[e->nties] = v[k].name;
				e->ties[e->nties++].flag = 0;
			}
			e->ties[e->nties - 1].flag = 1;
		}
		v[m++] = c;
	}
	names_end(e);
	tk_buf_free(&bn);
	tk_buf_free(&cn);
	return m;
}

void tk_elfsym_finish(struct tk_elfsym *e, struct candv *cv)
{
	size_t m = dedup(e, cv->v, cv->n);
	/* The kept symbols are written over the candidates (24 bytes over
	 * 32: entry n never reaches candidate i + 1 for n <= i), through
	 * memcpy so that the two views never alias. */
	char *buf = (char *)cv->v;
	size_t n = 0;
	/* The latest sized symbol: a zero-size label inside it ends with it
	 * rather than running on into the padding after it. */
	uint64_t cover_start = 0, cover_end = 0;
	for (size_t i = 0; i < m; i++) {
		struct cand ci;
		memcpy(&ci, buf + i * sizeof ci, sizeof ci);
		uint64_t start = ci.start, end;
		if (!ci.zero) {
			end = start + ci.size;
			cover_start = start;
			cover_end = end;
		} else {
			/* Up to the next symbol, but never past its own section:
			 * `_init` must not swallow .plt, nor a section's last
			 * label the gap to the next section. */
			uint64_t sec_end = ci.size;
			if (i + 1 < m)
				memcpy(&end, buf + (i + 1) * sizeof ci + offsetof(struct cand, start), sizeof end);
			else
				end = UINT64_MAX;
			if (start < sec_end && sec_end < end)
				end = sec_end;
			if (ci.at_end)
				end = start; /* a label at the very end of its section */
			if (cover_start < start && start < cover_end && cover_end < end)
				end = cover_end;
			if (end == UINT64_MAX || end <= start)
				continue;
		}
		struct symc s = { .start = start, .end = end, .name = ci.name };
		s.name.flag = ci.tie;
		memcpy(buf + n * sizeof s, &s, sizeof s);
		n++;
	}
	e->syms = n ? tk_xrealloc(buf, n * sizeof *e->syms) : NULL;
	if (!n)
		free(buf);
	e->n = n;
	e->last = n;
	cv->v = NULL;
	cv->n = cv->cap = 0;
}

/* The binutils suffix of a .dynsym name ("@@VER", "@VER"), or NULL:
 * indexes 0 (local) and 1 (global, unversioned) print none. */
static const char *ver_suffix(const struct vertab *t, const struct nameref *r, int *hidden)
{
	unsigned idx = r->versym & TK_VER_MASK;
	if (r->src != SRC_DYNSYM || idx <= 1 || idx >= t->n || !t->v[idx].name)
		return NULL;
	*hidden = t->v[idx].hidden || (r->versym & TK_VER_HIDDEN);
	return t->v[idx].name;
}

/* The name of s: of a tie group the first by name_cmp (fewest leading
 * underscores, then the lowest; the first of equal ones), decorated with
 * its version. */
static const char *sym_name(struct tk_elfsym *e, const struct symc *s)
{
	const struct nameref *r = &s->name;
	struct tk_buf best = {0};
	if (s->name.flag) {
		struct tk_buf x = {0};
		const struct nameref *t = &e->ties[s->name.off];
		names_begin(e);
		r = t;
		ref_read(e, t, &best);
		while (!t->flag) {
			t++;
			ref_read(e, t, &x);
			if (name_cmp(x.p, best.p) < 0) {
				struct tk_buf k = best;
				r = t;
				best = x;
				x = k;
			}
		}
		names_end(e);
		tk_buf_free(&x);
	} else {
		ref_read(e, r, &best);
	}
	char *raw = tk_arena_strndup(&e->arena, best.p, best.len);
	tk_buf_free(&best);
	int hidden = 0;
	/* the version names are the mapped file's: not read once it changed */
	const char *v = e->changed ? NULL : ver_suffix(&e->vt, r, &hidden);
	if (!v)
		return raw;
	size_t bl = strlen(raw), vl = strlen(v);
	char *p = tk_arena_alloc(&e->arena, bl + 2 + vl + 1);
	memcpy(p, raw, bl);
	memcpy(p + bl, "@@", hidden ? 1 : 2);
	memcpy(p + bl + (hidden ? 1 : 2), v, vl + 1);
	return p;
}

/* A symbol handed out: stays put until the symbols are replaced. */
struct symobj {
	struct tk_sym s;
	size_t idx;
};

static size_t obj_slot(size_t idx, size_t mask)
{
	return (size_t)(((uint64_t)idx * 0x9e3779b97f4a7c15ull) >> 24) & mask;
}

struct tk_sym *tk_elfsym_obj(struct tk_elfsym *e, size_t i)
{
	if (!e->obj) {
		e->obj_mask = 255;
		e->obj = tk_xcalloc(e->obj_mask + 1, sizeof *e->obj);
	}
	size_t h = obj_slot(i, e->obj_mask);
	for (; e->obj[h]; h = (h + 1) & e->obj_mask)
		if (((struct symobj *)e->obj[h])->idx == i)
			return e->obj[h];
	struct symobj *o = tk_arena_alloc(&e->arena, sizeof *o);
	o->idx = i;
	o->s.start = e->syms[i].start;
	o->s.end = e->syms[i].end;
	o->s.name = sym_name(e, &e->syms[i]);
	e->obj[h] = &o->s;
	if (++e->nobj * 2 > e->obj_mask) {
		size_t nmask = e->obj_mask * 2 + 1;
		struct tk_sym **no = tk_xcalloc(nmask + 1, sizeof *no);
		for (size_t k = 0; k <= e->obj_mask; k++) {
			if (!e->obj[k])
				continue;
			size_t s = obj_slot(((struct symobj *)e->obj[k])->idx, nmask);
			while (no[s])
				s = (s + 1) & nmask;
			no[s] = e->obj[k];
		}
		free(e->obj);
		e->obj = no;
		e->obj_mask = nmask;
	}
	return &o->s;
}

void tk_elfsym_clear(struct tk_elfsym *e)
{
	free(e->syms);
	free(e->ties);
	free(e->obj);
	tk_arena_release(&e->arena);
	tk_arena_init(&e->arena);
	e->syms = NULL;
	e->ties = NULL;
	e->obj = NULL;
	e->n = e->last = e->nties = e->nobj = e->obj_mask = 0;
}
