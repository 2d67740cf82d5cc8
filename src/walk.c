/*
 * walk.c - command-line paths -> the sorted list of objects to read.
 */
#include "ledger/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger/timestamp.h"
#include "ledger/xalloc.h"

static const char *const log_suffixes[] = {
	".json.gz", ".jsonl.gz", ".json", ".jsonl", ".gz",
	".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tar.xz", ".zip",
};

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

const char *walk_skip_reason(const char *relpath, unsigned long long size)
{
	const char *base = relpath;
	for (const char *p = relpath; *p; p++) {
		if (*p != '/')
			continue;
		size_t seg = (size_t)(p - base);
		if (seg == 4 && memcmp(base, "data", 4) == 0)
			return "data-object";
		base = p + 1;
	}
	if (strcmp(base, "amazon-bedrock-logs-permission-check") == 0 ||
	    strcmp(base, "aws-logs-write-test") == 0)
		return "marker";
	if (size == 0)
		return "empty";
	size_t n = strlen(base);
	for (size_t i = 0; i < sizeof log_suffixes / sizeof *log_suffixes; i++) {
		if (ends_with(base, n, log_suffixes[i]) && n > strlen(log_suffixes[i]))
			return NULL;
	}
	return "not-a-log-name";
}

/* A visited (device, inode) pair: a small open-addressing set. */
struct seen {
	uint64_t *dev, *ino;
	size_t cap, n;
};

static bool seen_add(struct seen *s, uint64_t dev, uint64_t ino)
{
	if (2 * (s->n + 1) > s->cap) {
		struct seen t = { 0 };
		t.cap = s->cap ? s->cap * 2 : 1024;
		t.dev = xcalloc(t.cap, sizeof *t.dev);
		t.ino = xcalloc(t.cap, sizeof *t.ino);
		for (size_t i = 0; i < s->cap; i++)
			if (s->ino[i] || s->dev[i])
				seen_add(&t, s->dev[i], s->ino[i]);
		free(s->dev);
		free(s->ino);
		*s = t;
	}
	/* (0, 0) marks an empty slot; map a real (0, 0) to (0, ~0) */
	if (dev == 0 && ino == 0)
		ino = ~0ull;
	uint64_t h = (dev * 0x9E3779B97F4A7C15ull) ^ (ino * 0xC2B2AE3D27D4EB4Full);
	for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (s->dev[i] == 0 && s->ino[i] == 0) {
			s->dev[i] = dev;
			s->ino[i] = ino;
			s->n++;
			return true;
		}
		if (s->dev[i] == dev && s->ino[i] == ino)
			return false;
	}
}

struct walker {
	struct input_list *list;
	struct seen dirs;
};

static struct input *push(struct input_list *l, const char *path, enum input_kind kind)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct input *in = &l->v[l->n++];
	memset(in, 0, sizeof *in);
	in->path = xstrdup(path);
	in->kind = kind;
	return in;
}

static void push_error(struct input_list *l, const char *path, const char *what, int err)
{
	struct input *in = push(l, path, INPUT_ERROR);
	size_t n = strlen(what) + strlen(strerror(err)) + 3;
	in->reason = xmalloc(n);
	snprintf(in->reason, n, "%s: %s", what, strerror(err));
}

static char *join(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	bool slash = na > 0 && a[na - 1] != '/';
	char *s = xmalloc(na + slash + nb + 1);
	memcpy(s, a, na);
	if (slash)
		s[na] = '/';
	memcpy(s + na + slash, b, nb + 1);
	return s;
}

/* path: as reported and opened; rel: below the command-line root ("" at the root). */
static void walk_dir(struct walker *w, const char *path, const char *rel)
{
	DIR *d = opendir(path);
	if (!d) {
		push_error(w->list, path, "cannot read directory", errno);
		return;
	}
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *child = join(path, de->d_name);
		char *crel = *rel ? join(rel, de->d_name) : xstrdup(de->d_name);
		struct stat st;
		if (stat(child, &st) != 0) {
			push_error(w->list, child, "cannot stat", errno);
		} else if (S_ISDIR(st.st_mode)) {
			if (seen_add(&w->dirs, (uint64_t)st.st_dev, (uint64_t)st.st_ino))
				walk_dir(w, child, crel);
		} else if (!S_ISREG(st.st_mode)) {
			struct input *in = push(w->list, child, INPUT_SKIP);
			in->reason = xstrdup("not-a-regular-file");
		} else {
			const char *why = walk_skip_reason(crel, (unsigned long long)st.st_size);
			struct input *in = push(w->list, child, why ? INPUT_SKIP : INPUT_FILE);
			in->size = (unsigned long long)st.st_size;
			if (why)
				in->reason = xstrdup(why);
			else
				in->fs_path = xstrdup(child);
		}
		free(child);
		free(crel);
		errno = 0;
	}
	if (errno)
		push_error(w->list, path, "cannot read directory", errno);
	closedir(d);
}

static int by_path(const void *a, const void *b)
{
	const struct input *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	/* the same path named twice: keep a stable, content-free order */
	return (x->kind > y->kind) - (x->kind < y->kind);
}

/* A file reached twice is read once: the first in path order wins. */
static void mark_duplicates(struct input_list *l)
{
	struct seen files = { 0 };
	for (size_t i = 0; i < l->n; i++) {
		struct input *in = &l->v[i];
		if (in->kind != INPUT_FILE)
			continue;
		struct stat st;
		if (stat(in->fs_path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (!seen_add(&files, (uint64_t)st.st_dev, (uint64_t)st.st_ino)) {
			in->kind = INPUT_SKIP;
			in->reason = xstrdup("duplicate");
			free(in->fs_path);
			in->fs_path = NULL;
		}
	}
	free(files.dev);
	free(files.ino);
}

void walk_paths(const char *const *paths, size_t n, struct input_list *list)
{
	struct walker w = { .list = list };
	bool stdin_seen = false;
	for (size_t i = 0; i < n; i++) {
		const char *p = paths[i];
		if (strcmp(p, "-") == 0) {
			struct input *in = push(list, WALK_STDIN_NAME, stdin_seen ? INPUT_SKIP : INPUT_STDIN);
			in->named = true;
			if (stdin_seen)
				in->reason = xstrdup("duplicate");
			stdin_seen = true;
			continue;
		}
		struct stat st;
		if (stat(p, &st) != 0) {
			if (errno == ENOENT || errno == ENOTDIR) {
				list->missing = xrealloc(list->missing, (list->nmissing + 1) * sizeof *list->missing);
				list->missing[list->nmissing++] = xstrdup(p);
			} else {
				push_error(list, p, "cannot stat", errno);
			}
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (seen_add(&w.dirs, (uint64_t)st.st_dev, (uint64_t)st.st_ino))
				walk_dir(&w, p, "");
			continue;
		}
		struct input *in = push(list, p, INPUT_FILE);
		in->fs_path = xstrdup(p);
		in->named = true;
		in->size = S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : 0;
	}
	free(w.dirs.dev);
	free(w.dirs.ino);
	qsort(list->v, list->n, sizeof *list->v, by_path);
	mark_duplicates(list);
}

void walk_list_free(struct input_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].path);
		free(list->v[i].fs_path);
		free(list->v[i].reason);
	}
	free(list->v);
	for (size_t i = 0; i < list->nmissing; i++)
		free(list->missing[i]);
	free(list->missing);
	memset(list, 0, sizeof *list);
}

static int digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int walk_hour_folder(const char *path, struct ts *hour)
{
	/* ".../YYYY/MM/DD/HH/name": find the last five '/' */
	const char *slash[5];
	int k = 0;
	for (const char *p = path + strlen(path); p > path && k < 5;) {
		p--;
		if (*p == '/')
			slash[k++] = p;
	}
	if (k < 5)
		return -1;
	/* slash[4] precedes YYYY, slash[3] MM, slash[2] DD, slash[1] HH, slash[0] name */
	unsigned y, m, d, h;
	if (slash[3] - slash[4] != 5 || digits(slash[4] + 1, 4, &y) ||
	    slash[2] - slash[3] != 3 || digits(slash[3] + 1, 2, &m) ||
	    slash[1] - slash[2] != 3 || digits(slash[2] + 1, 2, &d) ||
	    slash[0] - slash[1] != 3 || digits(slash[1] + 1, 2, &h))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31 || h > 23)
		return -1;
	hour->sec = ts_days_from_civil(y, m, d) * 86400 + (int64_t)h * 3600;
	hour->nsec = 0;
	return 0;
}
