/*
 * report.c - CSV writers (libcsv quoting), atomic write-then-rename.
 */
#include "ledger/views/report.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/support/diag.h"
#include "ledger/support/sha256.h"
#include "ledger/support/xalloc.h"

#define MAX_FILES 32
#define SEALERS 4 /* report_set_seal_start's threads at once, at most */

struct report_file {
	struct report_set *set;
	FILE *fp;
	char *tmp;   /* DIR/.NAME.XXXXXX */
	char *final; /* DIR/NAME */
	bool first_cell;
	char *buf;
	char *name;
	bool sealed; /* written, synced and closed: size and sha256 are set */
	uint64_t size;
	unsigned char sha256[SHA256_SIZE];
};

struct report_set {
	char *dir;
	struct report_file files[MAX_FILES];
	size_t n;
	char **stale; /* reports of an earlier run to remove at commit */
	size_t nstale;
	struct diag diag;
	/* report_set_seal_start: files[from, upto) sealed on a thread of their own */
	struct sealer {
		struct report_set *set;
		pthread_t id;
		size_t from, upto;
		int rc;
		struct diag diag;
	} sealers[SEALERS];
	size_t nsealers;
	size_t seal_from; /* files from here are not a sealer's yet */
};

static int mkdir_p(const char *dir, struct diag *d)
{
	char *p = xstrdup(dir);
	int err = 0;
	for (char *s = p + 1; *s && !err; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			err = errno;
		*s = '/';
	}
	if (!err && mkdir(p, 0777) != 0 && errno != EEXIST)
		err = errno;
	free(p);
	struct stat st;
	if (!err && stat(dir, &st) != 0)
		err = errno;
	if (!err && !S_ISDIR(st.st_mode))
		err = ENOTDIR;
	if (err)
		return diag_set_at(d, dir, 0, "cannot create directory: %s", strerror(err));
	return 0;
}

static char *path_in(const char *dir, const char *prefix, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
	return p;
}

/* Can files be made in dir? Found out before a long run, not after it. */
static int probe_write(const char *dir, struct diag *d)
{
	char *probe = path_in(dir, ".", "bedrock-ledger-probe", ".XXXXXX");
	int fd = mkstemp(probe);
	int err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		close(fd);
		unlink(probe);
	}
	free(probe);
	if (err)
		return diag_set_at(d, dir, 0, "cannot write: %s", strerror(err));
	return 0;
}

struct report_set *report_set_create(const char *dir, struct diag *d)
{
	if (mkdir_p(dir, d) != 0 || probe_write(dir, d) != 0)
		return NULL;
	struct report_set *s = xcalloc(1, sizeof *s);
	s->dir = xstrdup(dir);
	return s;
}

struct report_file *report_open(struct report_set *s, const char *name)
{
	if (s->n == MAX_FILES) {
		diag_set(&s->diag, "too many report files");
		return NULL;
	}
	struct report_file *f = &s->files[s->n];
	memset(f, 0, sizeof *f);
	f->set = s;
	f->tmp = path_in(s->dir, ".", name, ".XXXXXX");
	f->final = path_in(s->dir, "", name, "");
	int fd = mkstemp(f->tmp);
	if (fd >= 0) {
		fchmod(fd, 0644); /* mkstemp gives 0600; reports are ordinary, readable files */
		f->fp = fdopen(fd, "w");
	}
	if (!f->fp) {
		diag_set_at(&s->diag, f->final, 0, "cannot write: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(f->tmp);
		}
		free(f->tmp);
		free(f->final);
		return NULL;
	}
	f->buf = xmalloc(1 << 16);
	setvbuf(f->fp, f->buf, _IOFBF, 1 << 16);
	/* a file is written by one thread at a time: no lock taken and released per putc */
	__fsetlocking(f->fp, FSETLOCKING_BYCALLER);
	f->first_cell = true;
	f->name = xstrdup(name);
	s->n++;
	return f;
}

static void sep(struct report_file *f)
{
	if (!f->first_cell)
		putc(',', f->fp);
	f->first_cell = false;
}

bool report_needs_guard(struct str s)
{
	if (s.n == 0)
		return false;
	char c = s.p[0];
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void report_text(struct report_file *f, struct str s)
{
	sep(f);
	bool guard = report_needs_guard(s);
	bool quote = false;
	for (size_t i = 0; i < s.n && !quote; i++) {
		char c = s.p[i];
		quote = c == ',' || c == '"' || c == '\n' || c == '\r';
	}
	if (!quote) {
		if (guard)
			putc('\'', f->fp);
		fwrite(s.p, 1, s.n, f->fp);
		return;
	}
	if (guard) {
		char *t = xmalloc(s.n + 1);
		t[0] = '\'';
		memcpy(t + 1, s.p, s.n);
		csv_fwrite(f->fp, t, s.n + 1);
		free(t);
	} else {
		csv_fwrite(f->fp, s.p, s.n);
	}
}

void report_cstr(struct report_file *f, const char *s)
{
	report_text(f, str_from(s ? s : ""));
}

void report_ts(struct report_file *f, bool has, struct ts t)
{
	if (!has) {
		report_empty(f);
		return;
	}
	char buf[21];
	ts_format(t, buf);
	report_cstr(f, buf);
}

/* Digits by hand: fprintf's format parsing cost about 500 instructions a number. */
void report_u64(struct report_file *f, uint64_t v)
{
	char buf[20], *p = buf + sizeof buf;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sep(f);
	fwrite(p, 1, (size_t)(buf + sizeof buf - p), f->fp);
}

void report_number(struct report_file *f, const char *text)
{
	sep(f);
	fputs(text, f->fp);
}

void report_money(struct report_file *f, money_t v)
{
	char buf[48];
	sep(f);
	size_t n = money_format_usd(v, buf);
	fwrite(buf, 1, n, f->fp);
}

void report_empty(struct report_file *f)
{
	sep(f);
}

void report_end_row(struct report_file *f)
{
	putc('\n', f->fp);
	f->first_cell = true;
}

FILE *report_stream(struct report_file *f)
{
	return f->fp;
}

void report_header(struct report_file *f, const char *names)
{
	fputs(names, f->fp);
	report_end_row(f);
}

static void close_file(struct report_file *f)
{
	if (f->fp)
		fclose(f->fp);
	f->fp = NULL;
	free(f->buf);
	f->buf = NULL;
}

/* Flushes, syncs and closes f, then hashes the bytes on disk (what run.json lists). */
static int seal_file(struct report_file *f, struct diag *d)
{
	int bad = ferror(f->fp) || fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0;
	int err = errno;
	if (fclose(f->fp) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	f->fp = NULL;
	free(f->buf);
	f->buf = NULL;
	if (bad)
		return diag_set_at(d, f->final, 0, "cannot write: %s", strerror(err ? err : EIO));
	if (sha256_file(f->tmp, f->sha256, &f->size, d) != 0)
		return -1;
	f->sealed = true;
	return 0;
}

static void *sealer_main(void *arg)
{
	struct sealer *t = arg;
	for (size_t i = t->from; i < t->upto && t->rc == 0; i++)
		if (!t->set->files[i].sealed)
			t->rc = seal_file(&t->set->files[i], &t->diag);
	return NULL;
}

void report_set_seal_start(struct report_set *s)
{
	if (s->nsealers == SEALERS || s->seal_from == s->n)
		return; /* the rest is sealed by report_set_seal */
	struct sealer *t = &s->sealers[s->nsealers];
	*t = (struct sealer){ .set = s, .from = s->seal_from, .upto = s->n, .diag = DIAG_INIT };
	if (pthread_create(&t->id, NULL, sealer_main, t) != 0)
		return;
	s->nsealers++;
	s->seal_from = s->n;
}

/* The sealing threads' end, and the first error (in the files' order) in the set's. */
static int seal_join(struct report_set *s)
{
	int rc = 0;
	for (size_t i = 0; i < s->nsealers; i++) {
		struct sealer *t = &s->sealers[i];
		pthread_join(t->id, NULL);
		if (t->rc != 0 && rc == 0) {
			diag_move(&s->diag, &t->diag);
			rc = -1;
		}
		diag_clear(&t->diag);
	}
	s->nsealers = 0;
	return rc;
}

int report_set_seal(struct report_set *s)
{
	if (seal_join(s) != 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		struct report_file *f = &s->files[i];
		if (!f->sealed && seal_file(f, &s->diag) != 0)
			return -1;
	}
	return 0;
}

size_t report_set_count(const struct report_set *s)
{
	return s->n;
}

const char *report_set_name(const struct report_set *s, size_t i)
{
	return s->files[i].name;
}

uint64_t report_set_size(const struct report_set *s, size_t i)
{
	return s->files[i].size;
}

const unsigned char *report_set_sha256(const struct report_set *s, size_t i)
{
	return s->files[i].sha256;
}

void report_set_remove(struct report_set *s, const char *name)
{
	s->stale = xrealloc(s->stale, (s->nstale + 1) * sizeof *s->stale);
	s->stale[s->nstale++] = path_in(s->dir, "", name, "");
}

static int rename_file(struct report_set *s, struct report_file *f)
{
	if (rename(f->tmp, f->final) != 0)
		return diag_set_at(&s->diag, f->final, 0, "cannot rename into place: %s",
				   strerror(errno));
	free(f->tmp);
	f->tmp = NULL;
	return 0;
}

int report_set_commit(struct report_set *s)
{
	if (report_set_seal(s) != 0)
		return -1;
	for (size_t i = 0; i + 1 < s->n; i++)
		if (rename_file(s, &s->files[i]) != 0)
			return -1;
	/* stale reports go before the last file (run.json) names the new set */
	for (size_t i = 0; i < s->nstale; i++)
		if (unlink(s->stale[i]) != 0 && errno != ENOENT)
			return diag_set_at(&s->diag, s->stale[i], 0,
					   "cannot remove a report of an earlier run: %s", strerror(errno));
	return s->n ? rename_file(s, &s->files[s->n - 1]) : 0;
}

const char *report_set_error(const struct report_set *s)
{
	return diag_msg(&s->diag);
}

void report_set_destroy(struct report_set *s)
{
	if (!s)
		return;
	seal_join(s);
	for (size_t i = 0; i < s->n; i++) {
		struct report_file *f = &s->files[i];
		close_file(f);
		if (f->tmp) {
			unlink(f->tmp);
			free(f->tmp);
		}
		free(f->final);
		free(f->name);
	}
	for (size_t i = 0; i < s->nstale; i++)
		free(s->stale[i]);
	free(s->stale);
	free(s->dir);
	diag_clear(&s->diag);
	free(s);
}
