/* elfsym: the function symbols of one ELF file and its load bias, read
 * with libelf. libelf stays behind this file and elfplt.c (PLT names). */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "symbols/elfsym.h"
#include "symbols/elfsym_int.h"
#include "base/util.h"

static void vertab_set(struct vertab *t, unsigned idx, const char *name, int hidden)
{
	if (idx >= t->n) {
		size_t old = t->cap;
		tk_xgrow((void **)&t->v, &t->cap, (size_t)idx + 1, sizeof *t->v);
		memset(t->v + old, 0, (t->cap - old) * sizeof *t->v);
		t->n = (size_t)idx + 1;
	}
	t->v[idx].name = name;
	t->v[idx].hidden = hidden;
}

/* Reads .gnu.version_r: version index (vna_other) -> required version
 * name. Offsets come from the file, so every step is bounds-checked by
 * gelf and the walk is capped. */
static void read_verneed(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct vertab *t)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf)
		return;
	size_t off = 0;
	for (unsigned i = 0; i < 65536 && off <= INT_MAX; i++) {
		GElf_Verneed vn;
		if (!gelf_getverneed(d, (int)off, &vn))
			break;
		size_t aoff = off + vn.vn_aux;
		for (unsigned j = 0; j < vn.vn_cnt && aoff <= INT_MAX; j++) {
			GElf_Vernaux va;
			if (!gelf_getvernaux(d, (int)aoff, &va))
				break;
			const char *name = elf_strptr(elf, sh->sh_link, va.vna_name);
			if (name && *name)
				vertab_set(t, va.vna_other & TK_VER_MASK, name, 1);
			if (!va.vna_next)
				break;
			aoff += va.vna_next;
		}
		if (!vn.vn_next)
			break;
		off += vn.vn_next;
	}
}

/* Reads .gnu.version_d: version index (vd_ndx) -> defined version name
 * (the first aux entry; later ones name parents). */
static void read_verdef(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct vertab *t)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf)
		return;
	size_t off = 0;
	for (unsigned i = 0; i < 65536 && off <= INT_MAX; i++) {
		GElf_Verdef vd;
		GElf_Verdaux va;
		if (!gelf_getverdef(d, (int)off, &vd))
			break;
		if (off + vd.vd_aux <= INT_MAX && gelf_getverdaux(d, (int)(off + vd.vd_aux), &va)) {
			const char *name = elf_strptr(elf, sh->sh_link, va.vda_name);
			if (name && *name)
				vertab_set(t, vd.vd_ndx & TK_VER_MASK, name, 0);
		}
		if (!vd.vd_next)
			break;
		off += vd.vd_next;
	}
}

/* The first NT_GNU_BUILD_ID note in data, or 0. */
static int find_build_id(Elf_Data *d, const unsigned char **id, size_t *len)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;
	if (!d || !d->d_buf)
		return 0;
	while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && nh.n_descsz > 0 &&
		    memcmp((const char *)d->d_buf + name_off, "GNU", 4) == 0) {
			*id = (const unsigned char *)d->d_buf + desc_off;
			*len = nh.n_descsz;
			return 1;
		}
		off = next;
	}
	return 0;
}

/* Notes from sections, else from PT_NOTE segments (files whose section
 * headers were removed still have their program headers). */
static void read_build_id(struct tk_elfsym *e)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e->elf, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE &&
		    find_build_id(elf_getdata(scn, NULL), &e->build_id, &e->build_id_len))
			return;
	}
	size_t np;
	if (elf_getphdrnum(e->elf, &np) != 0)
		return;
	for (size_t i = 0; i < np; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		/* Notes in 8-aligned segments (.note.gnu.property) pad to 8. */
		Elf_Data *d = elf_getdata_rawchunk(e->elf, (int64_t)ph.p_offset, ph.p_filesz,
						   ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		if (find_build_id(d, &e->build_id, &e->build_id_len))
			return;
	}
}

/* .gnu_debuglink: the debug file's name, NUL-terminated and padded to
 * 4 bytes, then the CRC-32 of that file in the file's byte order. */
static void read_debuglink(struct tk_elfsym *e)
{
	size_t shstrndx;
	GElf_Ehdr eh;
	if (elf_getshdrstrndx(e->elf, &shstrndx) != 0 || !gelf_getehdr(e->elf, &eh))
		return;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		const char *name = elf_strptr(e->elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".gnu_debuglink") != 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			return;
		const unsigned char *p = d->d_buf;
		const unsigned char *nul = memchr(p, 0, d->d_size);
		if (!nul || nul == p)
			return;
		size_t off = ((size_t)(nul - p) + 1 + 3) & ~(size_t)3;
		if (off > d->d_size || d->d_size - off < 4)
			return;
		const unsigned char *c = p + off;
		if (eh.e_ident[EI_DATA] == ELFDATA2MSB)
			e->debuglink_crc = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 |
					   (uint32_t)c[2] << 8 | c[3];
		else
			e->debuglink_crc = (uint32_t)c[3] << 24 | (uint32_t)c[2] << 16 |
					   (uint32_t)c[1] << 8 | c[0];
		e->debuglink = (const char *)p;
		return;
	}
}

static void tables_release(struct tables *t)
{
	free(t->secs);
	free(t->vt.v);
}

/* Finds the symbol, version, PLT and relocation sections of elf. */
static int tables_scan(Elf *elf, struct tables *t, const char *path, struct tk_diag *d)
{
	memset(t, 0, sizeof *t);
	size_t nsec, shstrndx = 0;
	if (elf_getshdrnum(elf, &nsec) != 0) {
		tk_diag_set(d, TK_EXIT_INPUT, "cannot read ELF file '%s': %s", path, elf_errmsg(-1));
		return -1;
	}
	int have_names = elf_getshdrstrndx(elf, &shstrndx) == 0;
	GElf_Ehdr eh;
	t->x86_64 = gelf_getehdr(elf, &eh) && eh.e_machine == EM_X86_64;
	t->aarch64 = t->x86_64 ? 0 : gelf_getehdr(elf, &eh) && eh.e_machine == EM_AARCH64;
	t->secs = tk_xcalloc(nsec ? nsec : 1, sizeof *t->secs);
	t->nsec = nsec;
	size_t symtab_idx = 0;
	/* Version definitions override requirements of the same index, as
	 * in binutils, so they are read in a second step below. */
	Elf_Scn *verdef = NULL, *verneed = NULL;
	GElf_Shdr verdef_sh = {0}, verneed_sh = {0};
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		size_t idx = elf_ndxscn(scn);
		if (!gelf_getshdr(scn, &sh) || idx >= nsec)
			continue;
		t->secs[idx].addr = sh.sh_addr;
		t->secs[idx].end = sh.sh_addr + sh.sh_size < sh.sh_addr ? UINT64_MAX : sh.sh_addr + sh.sh_size;
		t->secs[idx].flags = sh.sh_flags;
		switch (sh.sh_type) {
		case SHT_SYMTAB:
			if (!t->symtab) {
				t->symtab = scn;
				t->symtab_sh = sh;
				symtab_idx = idx;
			}
			break;
		case SHT_DYNSYM:
			if (!t->dynsym) {
				t->dynsym = scn;
				t->dynsym_sh = sh;
				t->dynsym_idx = idx;
			}
			break;
		case SHT_GNU_versym:
			if (!t->versym)
				t->versym = scn;
			break;
		case SHT_GNU_verdef:
			if (!verdef) {
				verdef = scn;
				verdef_sh = sh;
			}
			break;
		case SHT_GNU_verneed:
			if (!verneed) {
				verneed = scn;
				verneed_sh = sh;
			}
			break;
		case SHT_PROGBITS:
		case SHT_RELA: {
			/* The PLT is known by name only. */
			const char *name = have_names ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
			if (!name)
				break;
			if (sh.sh_type == SHT_RELA && strcmp(name, ".rela.plt") == 0)
				t->rela_plt = scn;
			else if (sh.sh_type == SHT_RELA)
				break;
			else if (strcmp(name, ".plt") == 0)
				t->plt = scn;
			else if (strcmp(name, ".plt.sec") == 0 || strcmp(name, ".plt.bnd") == 0)
				t->plt_sec = scn;
			else if (strcmp(name, ".plt.got") == 0)
				t->plt_got = scn;
			break;
		}
		default:
			break;
		}
	}
	/* Extended section indexes (> 65279 sections) of .symtab, found by
	 * their sh_link once .symtab's index is known. */
	if (t->symtab) {
		scn = NULL;
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB_SHNDX &&
			    sh.sh_link == symtab_idx) {
				t->shndx = scn;
				break;
			}
		}
	}
	if (verneed)
		read_verneed(elf, verneed, &verneed_sh, &t->vt);
	if (verdef)
		read_verdef(elf, verdef, &verdef_sh, &t->vt);
	return 0;
}

static void add_symtab(int fd, Elf *elf, uint64_t size, const struct tables *t, struct candv *cv)
{
	if (!t->symtab)
		return;
	struct tk_symtab_read r = { fd, elf, size, &t->symtab_sh, 0, t->shndx, NULL, t->secs, t->nsec, 0, 0 };
	/* sorted: .dynsym entries at these starts are dropped on reading */
	tk_elfsym_read_sorted(&r, cv);
}

static void add_dynsym(int fd, Elf *elf, uint64_t size, const struct tables *t, struct candv *cv)
{
	if (!t->dynsym)
		return;
	struct tk_symtab_read r = { fd, elf, size, &t->dynsym_sh, 1, NULL,
				    t->versym ? elf_getdata(t->versym, NULL) : NULL, t->secs, t->nsec, 0, 0 };
	tk_elfsym_read_table(&r, cv);
}

/* Replaces the symbols of e by those of cv; the version names of t (e's
 * own tables) move to e. */
static void set_symbols(struct tk_elfsym *e, struct candv *cv, size_t sorted, struct tables *t)
{
	tk_elfsym_clear(e);
	free(e->vt.v);
	e->vt = t->vt;
	memset(&t->vt, 0, sizeof t->vt);
	if (t->dynsym)
		e->dyn_str = tk_elfsym_strtab(e->elf, &t->dynsym_sh, e->file_size);
	tk_elfsym_sort(cv->v, cv->n, sorted);
	tk_elfsym_finish(e, cv);
}

/* Reads sections, symbol tables and version tables of an open Elf. */
static int load_symbols(struct tk_elfsym *e, int fd, const char *path, struct tk_diag *d)
{
	struct tables t;
	if (tables_scan(e->elf, &t, path, d) < 0)
		return -1;
	t.fd = fd;
	t.file_size = e->file_size;
	struct candv cv = {0};
	add_symtab(fd, e->elf, e->file_size, &t, &cv);
	/* A .symtab without functions (section and file symbols only) is
	 * as good as none: the debug file may have them. */
	e->has_symtab = cv.n > 0;
	size_t sorted = cv.n;
	e->sym_path = e->path;
	e->sym_id = &e->id;
	if (t.symtab) {
		e->sym_str = tk_elfsym_strtab(e->elf, &t.symtab_sh, e->file_size);
		if (!e->sym_str.size && t.symtab_sh.sh_size) {
			e->symtab_bad_link = 1;
			e->symtab_link = t.symtab_sh.sh_link;
		}
	}
	add_dynsym(fd, e->elf, e->file_size, &t, &cv);
	tk_elfplt_add(e, &t, &cv);
	set_symbols(e, &cv, sorted, &t);
	tables_release(&t);
	return 0;
}

int tk_elfsym_take_symbols(struct tk_elfsym *e, struct tk_elfsym *from)
{
	if (!from || from == e || !from->has_symtab)
		return -1;
	struct tables te, tf;
	struct tk_diag d = {0};
	const char *why;
	int fe = tk_open_regular(e->path, 0, NULL, &why);
	int ff = tk_open_regular(from->path, 0, NULL, &why);
	if (fe < 0 || ff < 0 || tables_scan(e->elf, &te, "", &d) < 0) {
		if (fe >= 0)
			close(fe);
		if (ff >= 0)
			close(ff);
		return -1;
	}
	if (tables_scan(from->elf, &tf, "", &d) < 0) {
		tables_release(&te);
		close(fe);
		close(ff);
		return -1;
	}
	te.fd = fe;
	te.file_size = e->file_size;
	struct candv cv = {0};
	add_symtab(ff, from->elf, from->file_size, &tf, &cv);
	size_t sorted = cv.n;
	add_dynsym(fe, e->elf, e->file_size, &te, &cv);
	tk_elfplt_add(e, &te, &cv);
	close(fe);
	close(ff);
	e->sym_path = from->path;
	e->sym_id = &from->id;
	e->sym_str = tk_elfsym_strtab(from->elf, &tf.symtab_sh, from->file_size);
	set_symbols(e, &cv, sorted, &te);
	tables_release(&te);
	tables_release(&tf);
	/* Only from's Elf is still needed: the names point into it. */
	tk_elfsym_clear(from);
	tk_elfsym_free(e->debug);
	e->debug = from;
	return 0;
}

/* Why the header tables do not fit in the file, or NULL. libelf quietly
 * reports 0 sections and 0 segments when their tables lie past the end,
 * so a cut-off file would otherwise open as one without symbols. The
 * counts come from the ELF header; the extended forms (e_shnum 0,
 * e_phnum PN_XNUM: the real count is in section 0) are asked of libelf,
 * which then needs section 0 to be readable. */
static const char *headers_outside(Elf *elf, const GElf_Ehdr *eh, uint64_t size)
{
	size_t shn = eh->e_shnum, phn = eh->e_phnum;
	if (shn == 0 && eh->e_shoff != 0) {
		if (elf_getshdrnum(elf, &shn) != 0)
			return elf_errmsg(-1);
		if (shn == 0)
			shn = 1;
	}
	if (phn == PN_XNUM && elf_getphdrnum(elf, &phn) != 0)
		return elf_errmsg(-1);
	if (shn && (eh->e_shoff > size || (size - eh->e_shoff) / shn < eh->e_shentsize ||
		    eh->e_shentsize < gelf_fsize(elf, ELF_T_SHDR, 1, EV_CURRENT)))
		return "truncated or corrupt (section headers outside the file)";
	if (phn && (eh->e_phoff > size || (size - eh->e_phoff) / phn < eh->e_phentsize ||
		    eh->e_phentsize < gelf_fsize(elf, ELF_T_PHDR, 1, EV_CURRENT)))
		return "truncated or corrupt (program headers outside the file)";
	return NULL;
}

struct tk_elfsym *tk_elfsym_open(const char *path, struct tk_diag *d)
{
	/* regular files only: a FIFO neither hangs nor is read */
	const char *why;
	uint64_t size;
	int fd = tk_open_regular(path, 0, &size, &why);
	if (fd < 0) {
		int err = errno;
		tk_diag_set(d, err == EMFILE || err == ENFILE || err == ENOMEM ? TK_EXIT_SYSTEM : TK_EXIT_INPUT,
			    "cannot read ELF file '%s': %s", path, why);
		return NULL;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "cannot read ELF file '%s': %s", path, elf_errmsg(-1));
		close(fd);
		return NULL;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		tk_diag_set(d, TK_EXIT_INPUT, "cannot read ELF file '%s': %s", path,
			    elf ? "not an ELF file" : elf_errmsg(-1));
		if (elf)
			elf_end(elf);
		close(fd);
		return NULL;
	}
	/* The file is mapped (or, where mmap fails, now read whole); the
	 * descriptor serves the symbol tables (pread) and then goes, so
	 * hundreds of libraries do not hold hundreds of descriptors. */
	if (elf_cntl(elf, ELF_C_FDREAD) != 0) {
		tk_diag_set(d, TK_EXIT_INPUT, "cannot read ELF file '%s': %s", path, elf_errmsg(-1));
		elf_end(elf);
		close(fd);
		return NULL;
	}

	struct tk_elfsym *e = tk_xcalloc(1, sizeof *e);
	e->elf = elf;
	e->path = tk_xmalloc(strlen(path) + 1);
	strcpy(e->path, path);
	tk_arena_init(&e->arena);
	e->file_size = size;
	e->rd[0].fd = e->rd[1].fd = -1;
	tk_fileid_get(&e->id, fd);
	GElf_Ehdr eh;
	if (!gelf_getehdr(elf, &eh)) {
		tk_diag_set(d, TK_EXIT_INPUT, "cannot read ELF file '%s': %s", path, elf_errmsg(-1));
		close(fd);
		tk_elfsym_free(e);
		return NULL;
	}
	e->is_exec = eh.e_type == ET_EXEC;
	e->page_max = eh.e_machine == EM_AARCH64 || eh.e_machine == EM_PPC64 ? 0x10000 : 0x1000;
	const char *bad = headers_outside(e->elf, &eh, e->file_size);
	if (bad) {
		tk_diag_set(d, TK_EXIT_INPUT, "cannot read ELF file '%s': %s", path, bad);
		close(fd);
		tk_elfsym_free(e);
		return NULL;
	}
	size_t np;
	if (elf_getphdrnum(e->elf, &np) == 0) {
		e->phdrs_ok = 1;
		for (size_t i = 0; i < np; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(e->elf, (int)i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
				continue;
			e->xload = tk_xrealloc(e->xload, (e->nxload + 1) * sizeof *e->xload);
			e->xload[e->nxload++] = ph;
		}
	}
	int r = load_symbols(e, fd, path, d);
	close(fd);
	if (r < 0) {
		tk_elfsym_free(e);
		return NULL;
	}
	read_build_id(e);
	read_debuglink(e);
	return e;
}

void tk_elfsym_free(struct tk_elfsym *e)
{
	if (!e)
		return;
	tk_elfsym_clear(e);
	tk_arena_release(&e->arena);
	for (int i = 0; i < 2; i++) {
		if (e->rd[i].fd >= 0)
			close(e->rd[i].fd);
		free(e->rd[i].all);
	}
	free(e->vt.v);
	free(e->xload);
	free(e->path);
	tk_elfsym_free(e->debug);
	if (e->elf)
		elf_end(e->elf);
	free(e);
}

size_t tk_elfsym_count(const struct tk_elfsym *e)
{
	return e->n;
}

struct tk_sym *tk_elfsym_at(struct tk_elfsym *e, size_t i)
{
	return i < e->n ? tk_elfsym_obj(e, i) : NULL;
}

/* Symbol i, named; NULL when naming it found the file changed. */
static struct tk_sym *named(struct tk_elfsym *e, size_t i)
{
	struct tk_sym *s = tk_elfsym_obj(e, i);
	return e->changed ? NULL : s;
}

struct tk_sym *tk_elfsym_lookup(struct tk_elfsym *e, uint64_t vaddr)
{
	if (e->changed)
		return NULL;
	const struct symc *s = e->syms;
	size_t n = e->n, c = e->last;
	/* Ticks cluster in hot functions: the last hit answers if it holds
	 * vaddr and no later symbol starts at or below vaddr (which would be
	 * more inner). */
	if (c < n && vaddr >= s[c].start && vaddr < s[c].end &&
	    (c + 1 == n || s[c + 1].start > vaddr))
		return named(e, c);
	if (n == 0 || vaddr < s[0].start)
		return NULL;
	/* Greatest start <= vaddr: s[lo].start <= vaddr < s[hi].start. */
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].start <= vaddr)
			lo = mid;
		else
			hi = mid;
	}
	/* The nearest symbol may end below vaddr while an earlier, larger
	 * one (a function around a label) still holds it. */
	for (size_t k = 0; k <= TK_LOOKBACK && k <= lo; k++) {
		if (vaddr < s[lo - k].end) {
			e->last = lo - k;
			return named(e, lo - k);
		}
	}
	return NULL;
}

int tk_elfsym_bias(const struct tk_elfsym *e, uint64_t start, uint64_t end, uint64_t *bias)
{
	if (!e->phdrs_ok)
		return -1;
	/* END - START is the page-rounded end of the mapped segment's file
	 * range (START has the file offset subtracted): that picks the
	 * segment when there are several (node 20 has three executable
	 * ones). The page is 4 KiB, or on aarch64 4, 16 or 64 KiB. */
	uint64_t want = end > start ? end - start : 0;
	GElf_Phdr pick, first;
	int have = 0, have_first = 0;
	for (size_t i = 0; i < e->nxload && !have; i++) {
		GElf_Phdr ph = e->xload[i];
		if (!have_first) {
			first = ph;
			have_first = 1;
		}
		for (uint64_t pg = 0x1000; pg <= e->page_max && !have; pg *= 4) {
			uint64_t fend = (ph.p_offset + ph.p_filesz + pg - 1) & ~(pg - 1);
			uint64_t mend = (ph.p_offset + ph.p_memsz + pg - 1) & ~(pg - 1);
			if (want && (want == fend || want == mend)) {
				pick = ph;
				have = 1;
			}
		}
	}
	if (!have) {
		if (!have_first)
			return -1;
		pick = first;
	}
	/* The mapping starts at the page of p_vaddr and maps the page of
	 * p_offset; V8's START already has that offset taken off. Unsigned
	 * wrap-around is intended: the bias of an ET_EXEC comes out 0. */
	*bias = start + (pick.p_offset & TK_PAGE_MASK) - (pick.p_vaddr & TK_PAGE_MASK);
	return 0;
}

uint64_t tk_elfsym_page_max(const struct tk_elfsym *e)
{
	return e->page_max;
}

int tk_elfsym_is_exec(const struct tk_elfsym *e)
{
	return e->is_exec;
}

const unsigned char *tk_elfsym_build_id(const struct tk_elfsym *e, size_t *len)
{
	*len = e->build_id_len;
	return e->build_id;
}

uint64_t tk_elfsym_file_size(const struct tk_elfsym *e)
{
	return e->file_size;
}

int tk_elfsym_has_symtab(const struct tk_elfsym *e)
{
	return e->has_symtab;
}

const char *tk_elfsym_problem(const struct tk_elfsym *e, char *buf, size_t n)
{
	if (!e->symtab_bad_link || e->debug)
		return NULL;
	snprintf(buf, n,
		 "its .symtab links to section %u, which is not a string table in the file: "
		 "only the exported (.dynsym) names are used",
		 (unsigned)e->symtab_link);
	return buf;
}

const char *tk_elfsym_debuglink(const struct tk_elfsym *e, uint32_t *crc)
{
	*crc = e->debuglink ? e->debuglink_crc : 0;
	return e->debuglink;
}

void tk_fileid_get(struct fileid *id, int fd)
{
	struct stat st;
	memset(id, 0, sizeof *id);
	if (fstat(fd, &st) != 0)
		return;
	id->dev = (uint64_t)st.st_dev;
	id->ino = (uint64_t)st.st_ino;
	id->size = (uint64_t)st.st_size;
	id->mtime_s = (int64_t)st.st_mtim.tv_sec;
	id->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
}

int tk_elfsym_same_file(struct tk_elfsym *e, int fd, const struct fileid *id, const char *path)
{
	struct fileid now;
	const char *how;
	if (fd < 0) {
		how = strerror(errno);
	} else {
		tk_fileid_get(&now, fd);
		if (now.dev == id->dev && now.ino == id->ino && now.size == id->size &&
		    now.mtime_s == id->mtime_s && now.mtime_ns == id->mtime_ns)
			return 1;
		how = now.dev != id->dev || now.ino != id->ino ? "replaced" :
		      now.size < id->size ? "truncated" : "rewritten";
	}
	if (!e->changed) {
		if (path == e->path)
			snprintf(e->changed_why, sizeof e->changed_why,
				 "the file changed on disk while ticks ran (%s)", how);
		else
			snprintf(e->changed_why, sizeof e->changed_why,
				 "its debug file '%s' changed on disk while ticks ran (%s)", path, how);
	}
	e->changed = 1;
	return 0;
}

const char *tk_elfsym_changed(const struct tk_elfsym *e)
{
	return e->changed ? e->changed_why : NULL;
}

int tk_elfsym_check(struct tk_elfsym *e)
{
	if (e->changed)
		return -1;
	int fd = open(e->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int ok = tk_elfsym_same_file(e, fd, &e->id, e->path);
	if (fd >= 0)
		close(fd);
	if (ok && e->sym_path && e->sym_path != e->path) {
		fd = open(e->sym_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		ok = tk_elfsym_same_file(e, fd, e->sym_id, e->sym_path);
		if (fd >= 0)
			close(fd);
	}
	return ok ? 0 : -1;
}

void tk_elfsym_io(const struct tk_elfsym *e, uint64_t *opens, uint64_t *reads)
{
	*opens = e->n_opens;
	*reads = e->n_reads;
}

uint64_t tk_elfsym_code_end(const struct tk_elfsym *e)
{
	uint64_t top = 0;
	for (size_t i = 0; i < e->nxload; i++) {
		const GElf_Phdr ph = e->xload[i];
		uint64_t sz = ph.p_filesz > ph.p_memsz ? ph.p_filesz : ph.p_memsz;
		uint64_t pg = e->page_max; /* the largest END - START */
		if (sz > UINT64_MAX - (pg - 1) || ph.p_offset > UINT64_MAX - (pg - 1) - sz)
			return UINT64_MAX & ~(pg - 1); /* corrupt: reaches anything */
		uint64_t end = (ph.p_offset + sz + pg - 1) & ~(pg - 1);
		if (end > top)
			top = end;
	}
	return top;
}
