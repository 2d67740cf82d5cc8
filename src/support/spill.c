/*
 * spill.c - append-only scratch storage: an unlinked file, or memory.
 */
#include "ledger/support/spill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/support/diag.h"
#include "ledger/support/xalloc.h"

#define BUF_SIZE (64 * 1024)

void spill_init(struct spill *s)
{
	memset(s, 0, sizeof *s);
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	size_t n = strlen(dir) + sizeof "/bedrock-ledger.XXXXXX";
	char *path = xmalloc(n);
	snprintf(path, n, "%s/bedrock-ledger.XXXXXX", dir);
	s->fd = mkstemp(path);
	if (s->fd >= 0)
		unlink(path);
	free(path);
	s->buf_cap = BUF_SIZE;
	s->buf = xmalloc(s->buf_cap);
}

void spill_finish(struct spill *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	diag_clear(&s->diag);
	memset(s, 0, sizeof *s);
	s->fd = -1;
}

/* The file cannot take more: bring it back into memory and go on there. */
static void to_memory(struct spill *s)
{
	size_t total = (size_t)s->flushed + s->buf_n;
	unsigned char *all = xmalloc(total ? total : 1);
	size_t got = 0;
	while (got < s->flushed) {
		ssize_t r = pread(s->fd, all + got, (size_t)s->flushed - got, (off_t)got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got < s->flushed) /* unreadable too: zeros rather than a crash; cannot happen on a sane
				 disk */
		memset(all + got, 0, (size_t)s->flushed - got);
	memcpy(all + s->flushed, s->buf, s->buf_n);
	free(s->buf);
	close(s->fd);
	s->fd = -1;
	s->buf = all;
	s->buf_n = total;
	s->buf_cap = total ? total : 1; /* memory mode grows it by doubling */
	s->flushed = 0;
}

static void flush(struct spill *s)
{
	size_t done = 0;
	while (done < s->buf_n) {
		ssize_t w = write(s->fd, s->buf + done, s->buf_n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			/* keep what did not reach the file, then move everything to memory */
			memmove(s->buf, s->buf + done, s->buf_n - done);
			s->buf_n -= done;
			s->flushed += done;
			to_memory(s);
			return;
		}
		done += (size_t)w;
	}
	s->flushed += s->buf_n;
	s->buf_n = 0;
}

void spill_write(struct spill *s, const void *p, size_t n)
{
	if (s->fd >= 0 && s->buf_n + n > s->buf_cap) {
		flush(s);
		if (s->fd >= 0 && n > s->buf_cap) {
			size_t done = 0;
			while (done < n) {
				ssize_t w = write(s->fd, (const char *)p + done, n - done);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					break;
				done += (size_t)w;
			}
			s->flushed += done;
			if (done == n)
				return;
			to_memory(s);
			p = (const char *)p + done;
			n -= done;
		}
	}
	if (s->buf_n + n > s->buf_cap) { /* memory mode grows */
		while (s->buf_n + n > s->buf_cap)
			s->buf_cap *= 2;
		s->buf = xrealloc(s->buf, s->buf_cap);
	}
	memcpy(s->buf + s->buf_n, p, n);
	s->buf_n += n;
}

uint64_t spill_size(const struct spill *s)
{
	return s->flushed + s->buf_n;
}

static int cannot_read(struct spill *s, const char *why)
{
	return diag_set(&s->diag, "cannot read back a temporary file: %s", why);
}

int spill_read_at(struct spill *s, uint64_t off, void *p, size_t n)
{
	if (off + n > spill_size(s))
		return cannot_read(s, strerror(EINVAL));
	unsigned char *out = p;
	if (off < s->flushed) {
		size_t from_file = off + n <= s->flushed ? n : (size_t)(s->flushed - off);
		size_t got = 0;
		while (got < from_file) {
			ssize_t r = pread(s->fd, out + got, from_file - got, (off_t)(off + got));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return cannot_read(s, r < 0 ? strerror(errno)
							    : "unexpected end of file");
			got += (size_t)r;
		}
		out += from_file;
		off += from_file;
		n -= from_file;
	}
	if (n)
		memcpy(out, s->buf + (off - s->flushed), n);
	return 0;
}

int spill_range_read(struct spill_range *r, void *p, size_t n, struct diag *d)
{
	unsigned char *out = p;
	while (n) {
		if (r->at == r->n) {
			size_t ahead = r->ahead ? r->ahead : (size_t)1 << 15;
			uint64_t left = r->end - r->off;
			size_t want = left < ahead ? (size_t)left : ahead;
			if (!want)
				return diag_set(d, "cannot read back a temporary file: it ends early");
			if (!r->buf)
				r->buf = xmalloc(ahead);
			if (spill_read_at(r->s, r->off, r->buf, want) != 0)
				return diag_move(d, &r->s->diag);
			r->off += want;
			r->at = 0;
			r->n = want;
		}
		size_t k = r->n - r->at < n ? r->n - r->at : n;
		memcpy(out, r->buf + r->at, k);
		r->at += k;
		out += k;
		n -= k;
	}
	return 0;
}

bool spill_range_more(const struct spill_range *r)
{
	return r->off < r->end || r->at < r->n;
}

void spill_range_finish(struct spill_range *r)
{
	free(r->buf);
	r->buf = NULL;
}
