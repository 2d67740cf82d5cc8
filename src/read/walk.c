/*
 * walk.c - command-line paths -> the sorted list of objects to read.
 */
#include "ledger/read/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/support/arena.h"
#include "ledger/support/diag.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

/*
 * The part of a command-line directory from its last AWSLogs segment on
 * ("AWSLogs/123456789012"), or NULL: a tree given as .../AWSLogs (or deeper)
 * is judged by the rules above as the tree that holds AWSLogs would be, so
 * that another service's logs are not read because the root hid the
 * AWSLogs/ACCOUNT/SERVICE path.
 */
static const char *root_tail(const char *root)
{
	const char *tail = NULL;
	for (const char *p = root; (p = strstr(p, "AWSLogs")) != NULL; p += 7)
		if ((p == root || p[-1] == '/') && (p[7] == '/' || p[7] == '\0'))
			tail = p;
	return tail;
}

/* walk_skip_reason for a file below a walked root. */
static const char *skip_reason_below(const char *root, const char *rel, unsigned long long size)
{
	const char *tail = root_tail(root);
	if (!tail)
		return walk_skip_reason(rel, size);
	size_t n = strlen(tail);
	while (n && tail[n - 1] == '/')
		n--;
	char *full = xmalloc(n + strlen(rel) + 2);
	memcpy(full, tail, n);
	full[n] = '/';
	strcpy(full + n + 1, rel);
	const char *why = walk_skip_reason(full, size);
	free(full);
	return why;
}

/* The (device, inode) pairs visited. */
struct seen {
	struct table table;
	struct arena pairs;
};

struct seen_pair {
	uint64_t dev, ino;
};

static bool seen_find(const struct seen *s, uint64_t dev, uint64_t ino, uint64_t *hash)
{
	const struct seen_pair key = { dev, ino };
	*hash = table_hash(&key, sizeof key);
	size_t pos;
	for (const struct seen_pair *p = table_first(&s->table, *hash, &pos); p;
	     p = table_next(&s->table, *hash, &pos)) {
		if (p->dev == dev && p->ino == ino)
			return true;
	}
	return false;
}

/* Adds (dev, ino); false if it was there already. */
static bool seen_add(struct seen *s, uint64_t dev, uint64_t ino)
{
	uint64_t h;
	if (seen_find(s, dev, ino, &h))
		return false;
	struct seen_pair *p = arena_alloc(&s->pairs, sizeof *p);
	*p = (struct seen_pair){ dev, ino };
	table_add(&s->table, h, p);
	return true;
}

static bool seen_has(const struct seen *s, uint64_t dev, uint64_t ino)
{
	uint64_t h;
	return seen_find(s, dev, ino, &h);
}

static void seen_free(struct seen *s)
{
	table_finish(&s->table);
	arena_free(&s->pairs);
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

struct entry {
	char *name; /* the sort key: the name, plus '/' for a directory */
	bool is_dir, is_link;
};

/* One directory being walked: its sorted entries and where we are in them. */
struct frame {
	char *path;    /* as reported and opened */
	char *rel;     /* below the command-line root; "" at the root */
	bool via_link; /* reached through a symbolic link */
	bool option;   /* a directory given with an option (--cur DIR), or inside one */
	int fd;	       /* open, for its entries' fstatat (no path lookup each); or -1 */
	uint64_t dev, ino;
	struct entry *v;
	size_t n, i;
};

/* One command-line path: its next object, ready for the merge. */
struct stream {
	struct frame *stack;
	size_t depth, cap;
	bool is_named_file, is_stdin;
	const char *arg;
	/* the lookahead */
	bool has_next;
	struct input next;
	char *next_path, *next_reason;
};

struct walker {
	struct stream *s;
	size_t ns;
	char **missing;
	size_t nmissing;
	struct seen dirs;	   /* command-line directories, and those walked through a link */
	struct seen named;	   /* files named on the command line */
	struct seen named_claimed; /* ... and already handed out */
	struct seen linked;	   /* files outside the walked trees, reached through a link */
	struct seen options;	   /* files and directories given with options */
	char **roots;		   /* real paths of the walked command-line directories */
	size_t nroots;
	bool stdin_claimed;
	char *cur_path, *cur_reason; /* what walker_next last returned */
	size_t kept;		     /* directories kept open */
};

/* Entries are kept under their sort key: a directory as its name plus '/',
 * so that a depth-first walk gives full paths in byte order ("a.txt" < "a/b"). */
static int by_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void set_next(struct stream *st, const char *path, enum input_kind kind, const char *reason,
		     unsigned long long size, bool named)
{
	st->has_next = true;
	st->next_path = xstrdup(path);
	st->next_reason = reason ? xstrdup(reason) : NULL;
	st->next = (struct input){ st->next_path, kind, st->next_reason, size, named, 0 };
}

/* A file's modification time in nanoseconds since 1970 (the state's object key). */
static long long mtime_ns(const struct stat *sb)
{
	return (long long)sb->st_mtim.tv_sec * 1000000000LL + sb->st_mtim.tv_nsec;
}

static void set_next_error(struct stream *st, const char *path, const char *what, int err)
{
	struct diag reason = DIAG_INIT;
	diag_set(&reason, "%s: %s", what, strerror(err));
	set_next(st, path, INPUT_ERROR, diag_msg(&reason), 0, false);
	diag_clear(&reason);
}

/*
 * Directories kept open, over all command-line paths: a tree's depth each
 * for a few paths. Past that (thousands of hour folders given by a glob),
 * entries are stat'ed by path, and descriptors stay free for the objects.
 */
#define KEPT_OPEN 64

/* Adds one entry of a listing (d_type as getdents gives it) to frame f. */
static void add_entry(struct frame *f, size_t *cap, int fd, const char *name, unsigned char type)
{
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	bool is_dir = type == DT_DIR, is_link = type == DT_LNK;
	if (type == DT_LNK || type == DT_UNKNOWN) {
		struct stat sb;
		is_dir = fstatat(fd, name, &sb, 0) == 0 && S_ISDIR(sb.st_mode);
		if (type == DT_UNKNOWN)
			is_link = fstatat(fd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
				  S_ISLNK(sb.st_mode);
	}
	if (f->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		f->v = xrealloc(f->v, *cap * sizeof *f->v);
	}
	size_t len = strlen(name);
	char *key = xmalloc(len + 2);
	memcpy(key, name, len);
	key[len] = is_dir ? '/' : '\0';
	key[len + 1] = '\0';
	f->v[f->n++] = (struct entry){ key, is_dir, is_link };
}

/*
 * Lists a directory into a new frame on top of the stack; -1 with errno.
 * A directory below a kept one is opened by its name there (name), not
 * by its whole path, and read with getdents64: no path lookup, and no
 * stat and descriptor copies that opendir and keeping its descriptor
 * would cost.
 */
static int push_dir(struct walker *w, struct stream *st, const char *path, const char *name,
		    const char *rel, const struct stat *sb, bool via_link, bool option)
{
	const struct frame *top = st->depth ? &st->stack[st->depth - 1] : NULL;
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	int fd = top && top->fd >= 0 && name ? openat(top->fd, name, flags) : open(path, flags);
	if (fd < 0)
		return -1;
	struct frame f = { .path = xstrdup(path),
			   .rel = xstrdup(rel),
			   .via_link = via_link,
			   .option = option,
			   .fd = -1,
			   .dev = (uint64_t)sb->st_dev,
			   .ino = (uint64_t)sb->st_ino };
	size_t cap = 0;
	int err = 0;
	_Alignas(struct dirent64) char buf[16384];
	for (ssize_t n; (n = getdents64(fd, buf, sizeof buf)) != 0;) {
		if (n < 0) {
			err = errno;
			break;
		}
		for (ssize_t at = 0; at < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(const void *)(buf + at);
			add_entry(&f, &cap, fd, de->d_name, de->d_type);
			at += de->d_reclen;
		}
	}
	if (w->kept < KEPT_OPEN) {
		f.fd = fd;
		w->kept++;
	} else {
		close(fd);
	}
	if (f.n)
		qsort(f.v, f.n, sizeof *f.v, by_entry);
	if (st->depth == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 8;
		st->stack = xrealloc(st->stack, st->cap * sizeof *st->stack);
	}
	st->stack[st->depth++] = f;
	if (err) {
		errno = err;
		return -2; /* listed in part */
	}
	return 0;
}

static void pop_dir(struct walker *w, struct stream *st)
{
	struct frame *f = &st->stack[--st->depth];
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].name);
	free(f->v);
	if (f->fd >= 0) {
		close(f->fd);
		w->kept--;
	}
	free(f->path);
	free(f->rel);
}

/* Does path, links resolved, lie in (or at) a walked command-line directory? */
static bool inside_roots(const struct walker *w, const char *path)
{
	char *real = realpath(path, NULL);
	bool inside = false;
	for (size_t i = 0; real && i < w->nroots && !inside; i++) {
		size_t n = strlen(w->roots[i]);
		inside = strncmp(real, w->roots[i], n) == 0 &&
			 (real[n] == '/' || real[n] == '\0' || n == 1);
	}
	free(real);
	return inside;
}

/*
 * A file reached through a link (to it, or to a directory above it) is read
 * only if it lies outside every walked tree (inside one, the walk meets the
 * file itself) and no other link to the same file came first.
 */
static bool linked_twice(struct walker *w, const char *path, const struct stat *sb)
{
	return inside_roots(w, path) ||
	       !seen_add(&w->linked, (uint64_t)sb->st_dev, (uint64_t)sb->st_ino);
}

/*
 * Is a directory that the walk meets walked? Through a link, one inside a
 * walked tree is left to the walk that meets it there, and one outside is
 * walked once (it is recorded). Without a link on the way, a directory can
 * only have been reached before as a command-line directory (recorded), or
 * be its own ancestor through a bind mount: such directories are not
 * recorded, so the walk's memory does not grow with the tree.
 */
static bool walk_dir(struct walker *w, const struct stream *st, const char *path, bool via_link,
		     const struct stat *sb)
{
	uint64_t dev = (uint64_t)sb->st_dev, ino = (uint64_t)sb->st_ino;
	if (via_link)
		return !inside_roots(w, path) && seen_add(&w->dirs, dev, ino);
	if (seen_has(&w->dirs, dev, ino))
		return false;
	for (size_t i = 0; i < st->depth; i++)
		if (st->stack[i].dev == dev && st->stack[i].ino == ino)
			return false;
	return true;
}

/* Prepares the stream's next object, or leaves has_next false at its end. */
static void advance(struct walker *w, struct stream *st)
{
	free(st->next_path);
	free(st->next_reason);
	st->next_path = st->next_reason = NULL;
	st->has_next = false;
	while (st->depth > 0) {
		struct frame *top = &st->stack[st->depth - 1];
		if (top->i == top->n) {
			pop_dir(w, st);
			continue;
		}
		struct entry *e = &top->v[top->i++];
		if (e->is_dir)
			e->name[strlen(e->name) - 1] = '\0'; /* the key's '/' */
		char *child = join(top->path, e->name);
		char *crel = *top->rel ? join(top->rel, e->name) : xstrdup(e->name);
		struct stat sb;
		if ((top->fd >= 0 ? fstatat(top->fd, e->name, &sb, 0) : stat(child, &sb)) != 0) {
			set_next_error(st, child, "cannot stat", errno);
		} else if (S_ISDIR(sb.st_mode)) {
			bool via_link = top->via_link || e->is_link;
			if (walk_dir(w, st, child, via_link, &sb)) {
				int rc = push_dir(w, st, child, e->name, crel, &sb, via_link,
						  top->option ||
						      seen_has(&w->options, (uint64_t)sb.st_dev,
							       (uint64_t)sb.st_ino));
				if (rc != 0)
					set_next_error(st, child, "cannot read directory", errno);
			}
		} else if (top->option ||
			   seen_has(&w->options, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino)) {
			/* the manifest, price table or CUR export given with its option: this
			 * reason wins over every other */
			set_next(st, child, INPUT_SKIP, "is-an-option-file",
				 S_ISREG(sb.st_mode) ? (unsigned long long)sb.st_size : 0, false);
		} else if (!S_ISREG(sb.st_mode)) {
			set_next(st, child, INPUT_SKIP, "not-a-regular-file", 0, false);
		} else if (seen_has(&w->named, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino) ||
			   ((e->is_link || top->via_link) && linked_twice(w, child, &sb))) {
			set_next(st, child, INPUT_SKIP, "duplicate", (unsigned long long)sb.st_size,
				 false);
		} else {
			unsigned long long size = (unsigned long long)sb.st_size;
			const char *why = skip_reason_below(st->stack[0].path, crel, size);
			set_next(st, child, why ? INPUT_SKIP : INPUT_FILE, why, size, false);
			st->next.mtime_ns = mtime_ns(&sb);
		}
		free(child);
		free(crel);
		if (st->has_next)
			return;
	}
	if (st->is_named_file || st->is_stdin) {
		const char *arg = st->arg;
		st->arg = NULL; /* once */
		if (!arg)
			return;
		if (st->is_stdin) {
			set_next(st, WALK_STDIN_NAME, w->stdin_claimed ? INPUT_SKIP : INPUT_STDIN,
				 w->stdin_claimed ? "duplicate" : NULL, 0, true);
			w->stdin_claimed = true;
			return;
		}
		struct stat sb;
		if (stat(arg, &sb) != 0) {
			set_next_error(st, arg, "cannot stat", errno);
			return;
		}
		bool again = !seen_add(&w->named_claimed, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino);
		set_next(st, arg, again ? INPUT_SKIP : INPUT_FILE, again ? "duplicate" : NULL,
			 S_ISREG(sb.st_mode) ? (unsigned long long)sb.st_size : 0, true);
		st->next.mtime_ns = mtime_ns(&sb);
	}
}

struct walker *walker_create(const char *const *paths, size_t n, const char *const *option_files,
			     size_t noption_files)
{
	struct walker *w = xcalloc(1, sizeof *w);
	w->s = xcalloc(n ? n : 1, sizeof *w->s);
	for (size_t i = 0; i < noption_files; i++) {
		struct stat sb;
		if (stat(option_files[i], &sb) == 0)
			seen_add(&w->options, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino);
	}
	/* named files first, so that a walk that meets one knows it */
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 && !S_ISDIR(sb.st_mode))
			seen_add(&w->named, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino);
	}
	for (size_t i = 0; i < n; i++) {
		const char *p = paths[i];
		struct stream *st = &w->s[w->ns++];
		st->arg = p;
		if (strcmp(p, "-") == 0) {
			st->is_stdin = true;
		} else {
			struct stat sb;
			if (stat(p, &sb) != 0) {
				if (errno == ENOENT || errno == ENOTDIR) {
					w->missing = xrealloc(w->missing, (w->nmissing + 1) *
									      sizeof *w->missing);
					w->missing[w->nmissing++] = xstrdup(p);
					w->ns--;
					continue;
				}
				st->is_named_file = true; /* advance() reports the error */
			} else if (S_ISDIR(sb.st_mode)) {
				/* a directory already walked (named twice, or inside another) is
				 * passed over */
				if (seen_add(&w->dirs, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino)) {
					char *real = realpath(p, NULL);
					if (real) {
						w->roots = xrealloc(w->roots, (w->nroots + 1) *
										  sizeof *w->roots);
						w->roots[w->nroots++] = real;
					}
					bool option = seen_has(&w->options, (uint64_t)sb.st_dev,
							       (uint64_t)sb.st_ino);
					if (push_dir(w, st, p, NULL, "", &sb, false, option) != 0 &&
					    st->depth == 0)
						set_next_error(st, p, "cannot read directory",
							       errno);
				}
			} else {
				st->is_named_file = true;
			}
		}
	}
	for (size_t i = 0; i < w->ns; i++)
		if (!w->s[i].has_next)
			advance(w, &w->s[i]);
	return w;
}

int walker_next(struct walker *w, struct input *in)
{
	struct stream *best = NULL;
	for (size_t i = 0; i < w->ns; i++) {
		struct stream *st = &w->s[i];
		if (st->has_next && (!best || strcmp(st->next_path, best->next_path) < 0))
			best = st;
	}
	if (!best)
		return 0;
	free(w->cur_path);
	free(w->cur_reason);
	/* hand over the lookahead's strings, then prepare the next one */
	w->cur_path = best->next_path;
	w->cur_reason = best->next_reason;
	*in = best->next;
	best->next_path = best->next_reason = NULL;
	advance(w, best);
	return 1;
}

size_t walker_missing_count(const struct walker *w)
{
	return w->nmissing;
}

const char *walker_missing(const struct walker *w, size_t i)
{
	return w->missing[i];
}

void walker_destroy(struct walker *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ns; i++) {
		struct stream *st = &w->s[i];
		while (st->depth)
			pop_dir(w, st);
		free(st->stack);
		free(st->next_path);
		free(st->next_reason);
	}
	free(w->s);
	for (size_t i = 0; i < w->nmissing; i++)
		free(w->missing[i]);
	free(w->missing);
	seen_free(&w->dirs);
	seen_free(&w->named);
	seen_free(&w->named_claimed);
	seen_free(&w->linked);
	seen_free(&w->options);
	for (size_t i = 0; i < w->nroots; i++)
		free(w->roots[i]);
	free(w->roots);
	free(w->cur_path);
	free(w->cur_reason);
	free(w);
}
