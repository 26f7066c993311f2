/* replay: runs files (or every file of directories) through a fuzz
 * target's LLVMFuzzerTestOneInput without libFuzzer, so `make check`
 * replays the corpus and the crash reproducers with the normal compiler.
 * Prints one line per directory; exits 1 if an argument cannot be read. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 1 << 16, n = 0, r;
	uint8_t *buf = malloc(cap);
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int err = !buf || ferror(f);
	fclose(f);
	if (err) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		return -1;
	}
	/* a copy of exactly n bytes, so ASan sees reads past the input */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]) < 0)
				rc = 1;
			continue;
		}
		struct dirent **ents;
		int n = scandir(argv[i], &ents, NULL, NULL);
		if (n < 0) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		char **paths = calloc((size_t)n + 1, sizeof *paths);
		size_t k = 0;
		for (int j = 0; j < n; j++) {
			if (ents[j]->d_name[0] != '.' && paths) {
				size_t len = strlen(argv[i]) + strlen(ents[j]->d_name) + 2;
				if ((paths[k] = malloc(len)))
					snprintf(paths[k++], len, "%s/%s", argv[i], ents[j]->d_name);
			}
			free(ents[j]);
		}
		free(ents);
		if (paths)
			qsort(paths, k, sizeof *paths, cmp);
		size_t ran = 0;
		for (size_t j = 0; j < k; j++) {
			if (run_file(paths[j]) < 0)
				rc = 1;
			else
				ran++;
			free(paths[j]);
		}
		free(paths);
		printf("replayed %zu inputs of %s\n", ran, argv[i]);
	}
	return rc;
}
