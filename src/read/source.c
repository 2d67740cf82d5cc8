/*
 * source.c - byte sources over a file descriptor and over memory.
 */
#include "ledger/read/source.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

ssize_t byte_source_fill(struct byte_source *src, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = src->read(src, (char *)buf + got, n - got);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* The hot path (every stored byte): one read(2), the counts, nothing else. */
static ssize_t fd_read(struct byte_source *src, void *buf, size_t n)
{
	struct fd_source *s = (struct fd_source *)src;
	for (;;) {
		ssize_t r = read(s->fd, buf, n);
		if (r >= 0) {
			s->count += (uint64_t)r;
			if (s->progress)
				atomic_fetch_add_explicit(s->progress, (uint64_t)r,
							  memory_order_relaxed);
			return r;
		}
		if (errno == EINTR)
			continue;
		return diag_set(&src->diag, "%s", strerror(errno));
	}
}

void fd_source_init(struct fd_source *s, int fd)
{
	memset(s, 0, sizeof *s);
	s->src.read = fd_read;
	s->fd = fd;
	s->progress = NULL;
}

static ssize_t mem_read(struct byte_source *src, void *buf, size_t n)
{
	struct mem_source *s = (struct mem_source *)src;
	size_t k = s->n - s->pos;
	if (k > n)
		k = n;
	if (s->step && k > s->step)
		k = s->step;
	if (k)
		memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (ssize_t)k;
}

void mem_source_init(struct mem_source *s, const void *p, size_t n, size_t step)
{
	memset(s, 0, sizeof *s);
	s->src.read = mem_read;
	s->p = p;
	s->n = n;
	s->step = step;
}

static ssize_t hash_read(struct byte_source *src, void *buf, size_t n)
{
	struct hash_source *s = (struct hash_source *)src;
	ssize_t r = s->inner->read(s->inner, buf, n);
	if (r < 0)
		return diag_move(&src->diag, &s->inner->diag);
	sha256_update(s->h, buf, (size_t)r);
	return r;
}

void hash_source_init(struct hash_source *s, struct byte_source *inner, struct sha256 *h)
{
	memset(s, 0, sizeof *s);
	s->src.read = hash_read;
	s->inner = inner;
	s->h = h;
}

int byte_source_drain(struct byte_source *src)
{
	char buf[16384];
	ssize_t r;
	while ((r = src->read(src, buf, sizeof buf)) > 0)
		;
	return r < 0 ? -1 : 0;
}
