/*
 * sniff.c - a table named as a PATH: its head, inflated when gzip, put to
 * the tables' own recognisers.
 */
#include "ledger/run/sniff.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/bill/billing_names.h"
#include "ledger/bill/cur.h"
#include "ledger/price/headers.h"
#include "ledger/price/manifest.h"
#include "ledger/read/inflate.h"
#include "ledger/run/options.h"
#include "ledger/support/csvrows.h"
#include "ledger/support/xalloc.h"

/*
 * As much text as a header line (a CUR's has a hundred columns) or a JSON
 * manifest's first key needs; and as much of the file, read once more
 * before the run, at a small cost even for many files named one by one.
 */
#define TEXT_MAX 16384
#define HEAD_MAX 16384

/* What a table is, and the option it belongs to (a long name of options_table.c's table). */
struct kind {
	const char *what, *option;
};

static const struct kind manifest = { "a tag manifest", "manifest" },
			 price_table = { "a price table", "prices" },
			 billing_names = { "a billing-name table", "billing-names" },
			 cur_export = { "a Cost and Usage Report export", "cur" };

/* One named file's head, and its text. */
struct sniffer {
	struct inflater *z;
	unsigned char head[HEAD_MAX];
	char text[TEXT_MAX];
	size_t ntext;
};

static void keep(void *ctx, const char *buf, size_t n)
{
	struct sniffer *s = ctx;
	size_t room = sizeof s->text - s->ntext;
	if (n > room)
		n = room;
	memcpy(s->text + s->ntext, buf, n);
	s->ntext += n;
}

/* The first CSV row, put to each table's recogniser; the reader stops after it. */
static int first_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	const struct kind **k = ctx;
	*k = manifest_header_is(row)	    ? &manifest
	     : prices_header_is(row)	    ? &price_table
	     : billing_names_header_is(row) ? &billing_names
	     : cur_header_is(row)	    ? &cur_export
					    : NULL;
	return csvrows_fail(r, row->line, "enough");
}

static const struct kind *kind_of_text(const char *p, size_t n)
{
	size_t i = n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < n && (p[i] == '{' || p[i] == '['))
		return manifest_json_is(p + i, n - i) ? &manifest : NULL;
	const struct kind *k = NULL;
	struct diag d = DIAG_INIT;
	csvrows_parse("head", p, n, first_row, &k, &d);
	diag_clear(&d);
	return k;
}

/* What the regular file at path is, by its head; NULL for a log or anything else. */
static const struct kind *kind_of_file(struct sniffer *s, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return NULL; /* a FIFO or a device is never opened here: that would consume it */
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	struct fd_source src;
	fd_source_init(&src, fd);
	ssize_t n = byte_source_fill(&src.src, s->head, sizeof s->head);
	diag_clear(&src.src.diag);
	close(fd);
	if (n <= 0)
		return NULL;
	s->ntext = 0;
	enum object_format fmt = inflater_sniff(s->z, s->head, (size_t)n);
	if (fmt == FORMAT_PLAIN) {
		keep(s, (const char *)s->head, (size_t)n);
	} else if (fmt == FORMAT_GZIP) {
		struct mem_source none; /* the head is all there is to inflate */
		mem_source_init(&none, "", 0, 0);
		unsigned long long stored;
		inflater_run(s->z, fmt, s->head, (size_t)n, &none.src, keep, s, &stored);
		diag_clear(&none.src.diag);
	}
	return kind_of_text(s->text, s->ntext);
}

int sniff_paths(const char *const *paths, size_t n, struct diag *d)
{
	struct sniffer *s = NULL;
	for (size_t i = 0; i < n && !diag_has(d); i++) {
		if (strcmp(paths[i], "-") == 0)
			continue;
		if (!s) {
			s = xmalloc(sizeof *s);
			s->z = inflater_create();
		}
		const struct kind *k = kind_of_file(s, paths[i]);
		if (k) {
			char flag[64];
			options_spell(k->option, flag, sizeof flag);
			diag_set(d, "%s: looks like %s, not a log: give it with %s", paths[i],
				 k->what, flag);
		}
	}
	if (s)
		inflater_destroy(s->z);
	free(s);
	return diag_has(d) ? -1 : 0;
}
