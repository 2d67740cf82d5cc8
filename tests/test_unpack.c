/*
 * test_unpack.c - archives through unpack_members: a zstd tar made by
 * libarchive's own writer (real compression, not testdata's stored blocks),
 * the sniffer's verdict on it, a compressed log that is no archive, a
 * truncated stream, and a read error of the source underneath.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/read/inflate.h"
#include "ledger/read/source.h"
#include "ledger/read/unpack.h"
#include "tap.h"

#define CAP (1 << 20)

static const char log_text[] = "{\"timestamp\":\"2026-10-01T12:00:00Z\"}\n"
			       "{\"timestamp\":\"2026-10-01T12:00:01Z\"}\n";

/*
 * A tar (or, with raw, the bare bytes of one log) through a compression
 * filter (zstd unless bzip2); the size written to out.
 */
static size_t compressed(bool raw, bool bzip2, unsigned char *out)
{
	struct archive *a = archive_write_new();
	size_t used = 0;
	ok((bzip2 ? archive_write_add_filter_bzip2(a) : archive_write_add_filter_zstd(a)) ==
	       ARCHIVE_OK,
	   "libarchive writes %s", bzip2 ? "bzip2" : "zstd");
	if (raw)
		archive_write_set_format_raw(a);
	else
		archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	archive_write_open_memory(a, out, CAP, &used);
	const char *names[] = { "logs/a.json", "logs/b.json" };
	for (int i = 0; i < (raw ? 1 : 2); i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)strlen(log_text));
		archive_write_header(a, e);
		archive_write_data(a, log_text, strlen(log_text));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return used;
}

struct seen {
	int files;
	char names[256];
	char bytes[1024];
};

static void on_member(void *ctx, const char *name, enum member_kind kind, unsigned long long size,
		      struct byte_source *data)
{
	struct seen *s = ctx;
	if (kind != MEMBER_FILE)
		return;
	s->files++;
	strncat(s->names, name, sizeof s->names - strlen(s->names) - 2);
	strcat(s->names, ";");
	char buf[256];
	ssize_t n = byte_source_fill(data, buf, sizeof buf - 1);
	ok(n == (ssize_t)size, "member %s: %zd of %llu bytes", name, n, size);
	if (n > 0) {
		buf[n] = '\0';
		strncat(s->bytes, buf, sizeof s->bytes - strlen(s->bytes) - 1);
	}
}

/* Unpacks p[0..n) as the pipeline does: a head of `head` bytes, then reads of `step`. */
static int unpack(const unsigned char *p, size_t n, size_t head, size_t step, struct seen *s,
		  struct diag *d)
{
	memset(s, 0, sizeof *s);
	struct mem_source m;
	mem_source_init(&m, p + head, n - head, step);
	return unpack_members(p, head, &m.src, on_member, s, d);
}

/* A source that fails at once. */
static ssize_t failing_read(struct byte_source *src, void *buf, size_t n)
{
	(void)buf;
	(void)n;
	return diag_set(&src->diag, "simulated");
}

int main(void)
{
	static unsigned char tar_zst[CAP], json_zst[CAP], json_bz2[CAP];
	size_t nt = compressed(false, false, tar_zst), nj = compressed(true, false, json_zst);
	size_t nb = compressed(true, true, json_bz2);
	ok(nt > 4 && memcmp(tar_zst, "\x28\xb5\x2f\xfd", 4) == 0, "a zstd frame (%zu bytes)", nt);
	ok(inflate_sniff(tar_zst, nt) == FORMAT_ARCHIVE, "a .tar.zst is sniffed as an archive");
	ok(inflate_sniff(json_zst, nj) == FORMAT_ARCHIVE, "so is any zstd: unpack tells");

	struct seen s;
	struct diag d = DIAG_INIT;
	size_t heads[] = { nt, 10, 4, 0 };
	for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
		size_t steps[] = { 65536, 7 };
		for (size_t k = 0; k < 2; k++) {
			ok(unpack(tar_zst, nt, heads[i], steps[k], &s, &d) == 0 && !diag_has(&d),
			   "tar.zst unpacked (head %zu, reads of %zu)", heads[i], steps[k]);
			is_str(s.names, "logs/a.json;logs/b.json;", "both members, in order");
			ok(strlen(s.bytes) == 2 * strlen(log_text), "their bytes");
		}
	}

	ok(unpack(json_zst, nj, nj, 65536, &s, &d) == -1 && s.files == 0,
	   "a compressed log is not an archive");
	is_str(diag_msg(&d), "zstd-compressed, but not a tar archive", "and the message says so");
	diag_clear(&d);
	ok(unpack(json_bz2, nb, nb, 65536, &s, &d) == -1, "nor is a bzip2 log");
	is_str(diag_msg(&d), "bzip2-compressed, but not a tar archive", "the same message");
	diag_clear(&d);

	ok(unpack(tar_zst, nt / 2, nt / 2, 65536, &s, &d) == -1, "a truncated .tar.zst fails");
	ok(strstr(diag_msg(&d), "zstd") != NULL || strstr(diag_msg(&d), "runcated") != NULL,
	   "with libarchive's message: %s", diag_msg(&d));
	diag_clear(&d);

	struct byte_source bad = { .read = failing_read };
	ok(unpack_members(tar_zst, 4, &bad, on_member, &s, &d) == -1, "a read error fails");
	is_str(diag_msg(&d), "read error: simulated", "the source's problem, whole");
	ok(!diag_has(&bad.diag), "taken from the source");
	diag_clear(&d);
	return tap_done();
}
