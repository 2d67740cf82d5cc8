/*
 * unpack.c - archive members, streamed through libarchive.
 */
#include "ledger/read/unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger/support/xalloc.h"

#define READ_SIZE (256 * 1024)

struct reader {
	const unsigned char *head;
	size_t head_n;
	bool head_done;
	struct byte_source *src;
	/* src's read error whole: it wins over what libarchive makes of it */
	struct diag diag;
	unsigned char buf[READ_SIZE];
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
		diag_set(&r->diag, "read error: %s", diag_msg(&r->src->diag));
		diag_clear(&r->src->diag);
		archive_set_error(a, EIO, "%s", diag_msg(&r->diag));
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
		return diag_set(&src->diag, "%s", msg ? msg : "archive read error");
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

static int archive_problem(struct diag *d, struct archive *a, const char *fallback)
{
	const char *msg = archive_error_string(a);
	return diag_set(d, "%s", msg && *msg ? msg : fallback);
}

/*
 * Bzip2, xz and zstd are sniffed as archives by their magic alone; when the
 * bytes inside are no format we read, name the compression: libarchive's
 * "Unrecognized archive format" does not tell a compressed log from noise.
 * The filter chain is still there only then: a decompression error (a
 * truncated or corrupt stream) has freed it, and keeps its own message.
 */
static int open_problem(struct diag *d, struct archive *a)
{
	if (archive_filter_count(a) > 1 && archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE)
		return diag_set(d, "%s-compressed, but not a tar archive",
				archive_filter_name(a, 0));
	return archive_problem(d, a, "not a readable archive");
}

static struct archive *open_archive(struct reader *r, struct diag *d)
{
	struct archive *a = archive_read_new();
	if (!a) {
		diag_set(d, "out of memory");
		return NULL;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open(a, r, NULL, reader_read, NULL) != ARCHIVE_OK) {
		open_problem(d, a);
		archive_read_free(a);
		return NULL;
	}
	return a;
}

int unpack_members(const unsigned char *head, size_t n, struct byte_source *src,
		   void (*fn)(void *ctx, const char *name, enum member_kind kind,
			      unsigned long long size, struct byte_source *data),
		   void *ctx, struct diag *d)
{
	/* on the heap: 256 KiB, and archives nest */
	struct reader *r = xmalloc(sizeof *r);
	memset(r, 0, offsetof(struct reader, buf));
	r->head = head;
	r->head_n = n;
	r->src = src;
	int rc = -1;
	struct archive *a = open_archive(r, d);
	while (a) {
		struct archive_entry *e;
		int s = archive_read_next_header(a, &e);
		if (s == ARCHIVE_EOF) {
			rc = 0;
			break;
		}
		if (s == ARCHIVE_RETRY)
			continue;
		if (s < ARCHIVE_WARN) {
			archive_problem(d, a, "corrupt archive");
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
			struct member_source m = { .src.read = member_read, .a = a };
			fn(ctx, name, kind, size, &m.src);
			diag_clear(&m.src.diag);
		} else {
			fn(ctx, name, kind, size, NULL);
		}
	}
	if (rc != 0 && diag_has(&r->diag))
		diag_move(d, &r->diag);
	diag_clear(&r->diag);
	archive_read_free(a);
	free(r);
	return rc;
}
