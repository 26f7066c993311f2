/* fuzz_input: the line reader on any file, gzip (by its magic bytes) or
 * plain: truncated, concatenated and corrupt gzip members, lines cut at
 * any byte, over-long lines (max_line lowered so the fuzzer reaches it).
 * Every line returned must be inside the decompressed size and carry no
 * newline. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "input/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = tk_fuzz_file(data, size);
	struct tk_input in;
	struct tk_diag d = {0};
	if (tk_input_open(&in, path, &d) < 0)
		return 0;
	in.max_line = 4096;
	char *line;
	size_t len;
	unsigned long long total = 0;
	while (tk_input_next(&in, &line, &len, &d) > 0) {
		if (len > in.max_line || memchr(line, '\n', len))
			abort();
		total += len + 1;
		if (total > in.bytes + 1)
			abort();
		if (len)
			line[0] ^= 1; /* lines may be modified in place */
	}
	tk_input_close(&in);
	return 0;
}
