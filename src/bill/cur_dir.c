/*
 * cur_dir.c - --cur DIR: the CUR files under a directory, in byte order of
 * their paths, read one after another by the same reader.
 *
 * Data Exports and classic CUR deliver a month as a folder of part files
 * beside a metadata/ folder and Manifest.json files: every regular file whose
 * name ends in .csv or .csv.gz is read, anything else skipped. Symbolic links
 * are not followed (a link back up the tree would never end).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cur_row.h"
#include "ledger/support/xalloc.h"

struct paths {
	char **p;
	size_t n, cap;
};

static bool is_cur_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcmp(name + n - 4, ".csv") == 0) ||
	       (n > 7 && strcmp(name + n - 7, ".csv.gz") == 0);
}

static void paths_add(struct paths *ps, char *path)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->p = xrealloc(ps->p, ps->cap * sizeof *ps->p);
	}
	ps->p[ps->n++] = path;
}

static void paths_free(struct paths *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->p[i]);
	free(ps->p);
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	bool slash = a && dir[a - 1] == '/';
	char *p = xmalloc(a + !slash + b + 1);
	memcpy(p, dir, a);
	if (!slash)
		p[a++] = '/';
	memcpy(p + a, name, b + 1);
	return p;
}

/* Adds the CUR files under dir to ps. 0, or -1 with *d set. */
static int collect(const char *dir, struct paths *ps, int depth, struct diag *d)
{
	if (depth > 64)
		return diag_set(d, "%s: directories nested too deep", dir);
	DIR *dp = opendir(dir);
	if (!dp)
		return diag_set(d, "%s: cannot open: %s", dir, strerror(errno));
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (errno = 0, e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = join(dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) != 0) {
			rc = diag_set(d, "%s: cannot open: %s", path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = collect(path, ps, depth + 1, d);
		} else if (S_ISREG(st.st_mode) && is_cur_name(e->d_name)) {
			paths_add(ps, path);
			continue;
		}
		free(path);
	}
	if (rc == 0 && errno != 0)
		rc = diag_set(d, "%s: read error: %s", dir, strerror(errno));
	closedir(dp);
	return rc;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cur_reader_read_path(struct cur_reader *r, struct cur_bill *bill, const char *path,
			 struct diag *d)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return cur_reader_read_file(r, bill, path, d);
	struct paths ps = { 0 };
	int rc = collect(path, &ps, 0, d);
	if (rc == 0 && ps.n == 0)
		rc = diag_set(d,
			      "%s: a directory without a .csv or .csv.gz file: --cur DIR reads the "
			      "CSV data files of a CUR export below DIR",
			      path);
	if (ps.n)
		qsort(ps.p, ps.n, sizeof *ps.p, by_bytes);
	for (size_t i = 0; rc == 0 && i < ps.n; i++)
		rc = cur_reader_read_file(r, bill, ps.p[i], d);
	paths_free(&ps);
	return rc;
}
