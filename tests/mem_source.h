/*
 * mem_source.h - a byte source over a buffer, for the unit tests and the
 * fuzz harnesses: reads of at most `step` bytes, and, when asked, a read
 * error from a given offset on.
 *
 *   struct mem_source m;
 *   mem_source_init(&m, buf, n, 16);  reads of 16 bytes at most
 *   m.fail_at = 32;                   optional: -1 ("simulated") from offset 32
 *   inflater_run(z, fmt, NULL, 0, &m.src, sink, ctx, &stored);
 *
 * The buffer is borrowed and must outlive the source; m.pos counts the bytes
 * handed out.
 */
#ifndef LEDGER_TESTS_MEM_SOURCE_H
#define LEDGER_TESTS_MEM_SOURCE_H

#include <stdio.h>
#include <string.h>

#include "ledger/inflate.h"

struct mem_source {
	struct byte_source src;
	const unsigned char *p;
	size_t n, pos, step; /* at most step bytes per read */
	long long fail_at;   /* -1: never */
};

static inline ssize_t mem_source_read(struct byte_source *src, void *buf, size_t n)
{
	struct mem_source *m = src->ctx;
	if (m->fail_at >= 0 && m->pos >= (unsigned long long)m->fail_at) {
		snprintf(src->error, sizeof src->error, "simulated");
		return -1;
	}
	size_t k = m->n - m->pos;
	if (k > n)
		k = n;
	if (k > m->step)
		k = m->step;
	if (k)
		memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

static inline void mem_source_init(struct mem_source *m, const void *p, size_t n, size_t step)
{
	memset(m, 0, sizeof *m);
	m->src.read = mem_source_read;
	m->src.ctx = m;
	m->p = p;
	m->n = n;
	m->step = step;
	m->fail_at = -1;
}

#endif
