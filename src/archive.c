/*
 * archive.c - archive members, streamed through libarchive.
 */
#include "ledger/archive.h"

#include <archive.h>
#include <errno.h>
#include <stdlib.h>
#include <archive_entry.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger/xalloc.h"

#define READ_SIZE (256 * 1024)

struct reader {
	const unsigned char *head;
	size_t head_n;
	bool head_done;
	struct byte_source *src;
	unsigned char buf[READ_SIZE];
	char error[320];
};

static la_ssize_t reader_read(struct archive *a, void *ctx, const void **out)
{
	struct reader *r = ctx;
	if (!r->head_done) {
		r->head_done = true;
		if (r->head_n) {
			*out = r->head;
			return (la_ssize_t)r->head_n;
		}
	}
	ssize_t got = r->src->read(r->src, r->buf, sizeof r->buf);
	if (got < 0) {
		snprintf(r->error, sizeof r->error, "read error: %s", r->src->error);
		archive_set_error(a, EIO, "%s", r->error);
		return -1;
	}
	*out = r->buf;
	return got;
}

struct member_source {
	struct byte_source src;
	struct archive *a;
};

static ssize_t member_read(struct byte_source *src, void *buf, size_t n)
{
	struct member_source *m = (struct member_source *)src;
	la_ssize_t got = archive_read_data(m->a, buf, n);
	if (got < 0) {
		const char *msg = archive_error_string(m->a);
		snprintf(src->error, sizeof src->error, "%s", msg ? msg : "archive read error");
		return -1;
	}
	return got;
}

static enum member_kind kind_of(struct archive_entry *e)
{
	if (archive_entry_hardlink(e) || archive_entry_symlink(e))
		return MEMBER_LINK;
	switch (archive_entry_filetype(e)) {
	case AE_IFREG:
		return MEMBER_FILE;
	case AE_IFDIR:
		return MEMBER_DIRECTORY;
	case AE_IFLNK:
		return MEMBER_LINK;
	default:
		return MEMBER_OTHER;
	}
}

static void set_err(char *err, size_t errlen, struct archive *a, const char *fallback)
{
	const char *msg = archive_error_string(a);
	snprintf(err, errlen, "%s", msg && *msg ? msg : fallback);
}

int archive_each(const unsigned char *head, size_t n, struct byte_source *src,
		 archive_member_fn fn, void *ctx, char *err, size_t errlen)
{
	/* on the heap: 256 KiB, and archives nest */
	struct reader *r = xmalloc(sizeof *r);
	memset(r, 0, offsetof(struct reader, buf));
	r->error[0] = '\0';
	r->head = head;
	r->head_n = n;
	r->src = src;
	struct archive *a = archive_read_new();
	if (!a) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_zip(a);
	int rc = -1;
	if (archive_read_open(a, r, NULL, reader_read, NULL) != ARCHIVE_OK) {
		set_err(err, errlen, a, "not a readable archive");
		goto done;
	}
	for (;;) {
		struct archive_entry *e;
		int s = archive_read_next_header(a, &e);
		if (s == ARCHIVE_EOF) {
			rc = 0;
			break;
		}
		if (s == ARCHIVE_RETRY)
			continue;
		if (s < ARCHIVE_WARN) {
			set_err(err, errlen, a, "corrupt archive");
			break;
		}
		const char *name = archive_entry_pathname(e);
		if (!name)
			name = "(unnamed member)";
		enum member_kind kind = kind_of(e);
		unsigned long long size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
						  ? (unsigned long long)archive_entry_size(e)
						  : 0;
		if (kind == MEMBER_FILE) {
			struct member_source m = { .a = a };
			m.src.read = member_read;
			m.src.ctx = &m;
			fn(ctx, name, kind, size, &m.src);
		} else {
			fn(ctx, name, kind, size, NULL);
		}
	}
done:
	if (r->error[0] && rc != 0)
		snprintf(err, errlen, "%s", r->error);
	archive_read_free(a);
	free(r);
	return rc;
}
