/*
 * limit.c - the floor under bedrock-ledger's speed: every log object of the
 * walk inflated (the same inflater, same backend) and its bytes run through
 * yajl with no callback at all, on N threads. Nothing is kept or counted.
 * tests/bench/run times it beside the program: "within 1.10x of the
 * inflate+yajl limit" is the program's time over this one's.
 *
 *   limit [-j N] PATH...
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "ledger/read/inflate.h"
#include "ledger/read/source.h"
#include "ledger/read/walk.h"

static struct walker *walker;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void to_yajl(void *ctx, const char *buf, size_t n)
{
	yajl_parse(ctx, (const unsigned char *)buf, n);
}

/* The next file of the walk, copied; NULL at the end. */
static char *next_path(void)
{
	struct input in;
	char *path = NULL;
	pthread_mutex_lock(&lock);
	while (!path && walker_next(walker, &in))
		if (in.kind == INPUT_FILE)
			path = strdup(in.path);
	pthread_mutex_unlock(&lock);
	return path;
}

static void *thread_main(void *arg)
{
	(void)arg;
	static const yajl_callbacks none;
	struct inflater *z = inflater_create();
	unsigned char *head = malloc(INFLATE_HEAD_SIZE);
	for (char *path; (path = next_path()) != NULL; free(path)) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct fd_source fs;
		fd_source_init(&fs, fd);
		ssize_t n = byte_source_fill(&fs.src, head, INFLATE_HEAD_SIZE);
		enum object_format f = n < 0 ? FORMAT_EMPTY : inflater_sniff(z, head, (size_t)n);
		if (f == FORMAT_PLAIN || f == FORMAT_GZIP) {
			yajl_handle y = yajl_alloc(&none, NULL, NULL);
			yajl_config(y, yajl_allow_multiple_values, 1);
			yajl_config(y, yajl_dont_validate_strings, 1);
			unsigned long long stored;
			inflater_run(z, f, head, (size_t)n, &fs.src, to_yajl, y, &stored);
			yajl_complete_parse(y);
			yajl_free(y);
		}
		close(fd);
	}
	free(head);
	inflater_destroy(z);
	return NULL;
}

int main(int argc, char **argv)
{
	int jobs = 1, first = 1;
	if (argc > 2 && strcmp(argv[1], "-j") == 0) {
		jobs = atoi(argv[2]);
		first = 3;
	}
	if (jobs < 1 || first >= argc) {
		fputs("usage: limit [-j N] PATH...\n", stderr);
		return 2;
	}
	walker = walker_create((const char *const *)argv + first, (size_t)(argc - first), NULL, 0);
	pthread_t *t = calloc((size_t)jobs, sizeof *t);
	for (int i = 0; i < jobs; i++)
		pthread_create(&t[i], NULL, thread_main, NULL);
	for (int i = 0; i < jobs; i++)
		pthread_join(t[i], NULL);
	free(t);
	walker_destroy(walker);
	return 0;
}
