/* fuzz_elf: the ELF symbol loader (elfsym, elfplt) on any file: every
 * symbol kept must satisfy elfsym.h's invariants (sorted, start < end, a
 * name), and lookups, the load bias and the notes must not fault whatever
 * the file holds. The DWARF line reader (dwline, --lines) is left out:
 * Debian's libdwarf 20210528 double-frees inside dwarf_next_cu_header_d
 * on a corrupt .debug_rnglists (tests/fuzz/elf/libdwarf/, not replayed),
 * which would stop every run; with TK_FUZZ_DWLINE=1 it is included. */
#include <stdlib.h>
#include <string.h>
#include "symbols/dwline.h"
#include "symbols/elfsym.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = tk_fuzz_file(data, size);
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(path, &d);
	if (!e)
		return 0;
	size_t n = tk_elfsym_count(e);
	for (size_t i = 0; i < n; i++) {
		struct tk_sym *s = tk_elfsym_at(e, i);
		if (!s->name || s->start >= s->end)
			abort();
		if (i > 0 && tk_elfsym_at(e, i - 1)->start >= s->start)
			abort();
		(void)strlen(s->name);
		if (i < 256) {
			tk_elfsym_lookup(e, s->start);
			tk_elfsym_lookup(e, s->end - 1);
			tk_elfsym_lookup(e, s->end);
		}
	}
	tk_elfsym_lookup(e, 0);
	tk_elfsym_lookup(e, UINT64_MAX);
	uint64_t bias;
	tk_elfsym_bias(e, 0x7f0000000000, 0x7f0000400000, &bias);
	tk_elfsym_bias(e, 0x400000, 0x400000, &bias);
	tk_elfsym_bias(e, UINT64_MAX - 4096, UINT64_MAX, &bias);
	tk_elfsym_is_exec(e);
	size_t idn;
	const unsigned char *id = tk_elfsym_build_id(e, &idn);
	for (size_t i = 0; id && i < idn; i++)
		(void)id[i];
	uint32_t crc;
	const char *link = tk_elfsym_debuglink(e, &crc);
	if (link)
		(void)strlen(link);
	tk_elfsym_has_symtab(e);
	tk_elfsym_file_size(e);
	static int dwline = -1;
	if (dwline < 0) {
		const char *v = getenv("TK_FUZZ_DWLINE");
		dwline = v && *v == '1';
	}
	struct tk_dwline *dl = dwline ? tk_dwline_open(path, &d) : NULL;
	if (dl) {
		for (size_t i = 0; i < n && i < 64; i++) {
			const char *file;
			unsigned line;
			if (tk_dwline_lookup(dl, tk_elfsym_at(e, i)->start, &file, &line) == 1)
				(void)strlen(file);
		}
		tk_dwline_free(dl);
	}
	tk_elfsym_free(e);
	return 0;
}
