/*
 * verify.c - bedrock-ledger verify: run.json read back, every file re-hashed.
 */
#include "ledger/run/verify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yajl/yajl_tree.h>

#include "ledger/run/run_json.h"
#include "ledger/support/csvrows.h"
#include "ledger/support/diag.h"
#include "ledger/support/sha256.h"
#include "ledger/support/xalloc.h"

struct verify {
	uint64_t checked, differ, absent;
};

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static void say(const char *path, const char *what)
{
	diag_put_escaped(stdout, path, strlen(path));
	printf(": %s\n", what);
}

/*
 * Re-hashes path against the recorded size and digest (hex). A file not
 * there: counted as a difference when `required` (a report), else as not
 * checked. Returns true when it matches.
 */
static bool check_file(struct verify *v, const char *shown, const char *path, uint64_t size,
		       const char *hex, bool required)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (required) {
			say(shown, "missing");
			v->differ++;
		} else {
			say(shown, "not found at this path: not checked");
			v->absent++;
		}
		return false;
	}
	unsigned char d[SHA256_SIZE];
	char got[SHA256_HEX], text[256];
	uint64_t got_size;
	struct diag e = DIAG_INIT;
	v->checked++;
	if (sha256_file(path, d, &got_size, &e) != 0) {
		say(shown, diag_msg(&e));
		diag_clear(&e);
		v->differ++;
		return false;
	}
	sha256_hex(d, got);
	if (got_size == size && strcmp(got, hex) == 0)
		return true;
	snprintf(text, sizeof text,
		 "differs: %" PRIu64 " bytes, sha256 %s; the run recorded %" PRIu64
		 " bytes, sha256 %.64s",
		 got_size, got, size, hex);
	say(shown, text);
	v->differ++;
	return false;
}

static const char *member_str(yajl_val obj, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(obj, path, yajl_t_string);
	return v ? YAJL_GET_STRING(v) : NULL;
}

static bool member_u64(yajl_val obj, const char *key, uint64_t *out)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(obj, path, yajl_t_number);
	if (!v || !YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0)
		return false;
	*out = (uint64_t)YAJL_GET_INTEGER(v);
	return true;
}

/* The files of one array of run.json ({name or path, size, sha256}). */
static int check_list(struct verify *v, yajl_val doc, const char *list, const char *dir)
{
	const char *path[] = { list, NULL };
	yajl_val a = yajl_tree_get(doc, path, yajl_t_array);
	if (!a)
		return -1;
	for (size_t i = 0; i < YAJL_GET_ARRAY(a)->len; i++) {
		yajl_val e = YAJL_GET_ARRAY(a)->values[i];
		const char *name = member_str(e, dir ? "name" : "path");
		const char *hex = member_str(e, "sha256");
		uint64_t size;
		if (!name || !hex || !member_u64(e, "size", &size))
			return -1;
		char *full = dir ? join(dir, name) : xstrdup(name);
		check_file(v, dir ? full : name, full, size, hex, dir != NULL);
		free(full);
	}
	return 0;
}

/* sources.csv of a --hash run: each object with a digest, where it still is. */
struct objects {
	struct verify *v;
	int path_col, sha_col, bytes_col;
	char *last_archive; /* an archive checked: its members are covered by it */
};

static char *cell(const struct csvrows_row *row, int col)
{
	struct str s = col >= 0 && (size_t)col < row->nfields ? row->field[col] : STR_LIT("");
	char *p = xmalloc(s.n + 1);
	memcpy(p, s.p, s.n);
	p[s.n] = '\0';
	return p;
}

static int on_object(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct objects *o = ctx;
	(void)r;
	if (o->path_col < 0) {
		for (size_t i = 0; i < row->nfields; i++) {
			if (str_eq(row->field[i], STR_LIT("path")))
				o->path_col = (int)i;
			else if (str_eq(row->field[i], STR_LIT("sha256")))
				o->sha_col = (int)i;
			else if (str_eq(row->field[i], STR_LIT("bytes")))
				o->bytes_col = (int)i;
		}
		return 0;
	}
	char *path = cell(row, o->path_col), *hex = cell(row, o->sha_col);
	char *bytes = cell(row, o->bytes_col);
	struct stat st;
	/* a member (ARCHIVE!MEMBER) is covered by its archive's own row, just before */
	bool member = o->last_archive &&
		      strncmp(path, o->last_archive, strlen(o->last_archive)) == 0 &&
		      path[strlen(o->last_archive)] == '!';
	if (*hex && !member && strcmp(path, "(stdin)") != 0) {
		if (stat(path, &st) != 0 && strchr(path, '!')) {
			say(path, "an archive member whose archive is not found: not checked");
			o->v->absent++;
		} else {
			check_file(o->v, path, path, strtoull(bytes, NULL, 10), hex, false);
			free(o->last_archive);
			o->last_archive = xstrdup(path);
		}
	}
	free(path);
	free(hex);
	free(bytes);
	return 0;
}

static void check_objects(struct verify *v, const char *dir)
{
	char *sources = join(dir, "sources.csv");
	struct objects o = { .v = v, .path_col = -1, .sha_col = -1, .bytes_col = -1 };
	struct diag d = DIAG_INIT;
	if (csvrows_parse_file(sources, on_object, &o, &d) != 0) {
		say(sources, diag_msg(&d));
		v->differ++;
	}
	diag_clear(&d);
	free(o.last_archive);
	free(sources);
}

static char *read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	do {
		if (len + 4097 > cap) {
			cap = 2 * cap + 8192;
			text = xrealloc(text, cap);
		}
		got = fread(text + len, 1, cap - len - 1, fp);
		len += got;
	} while (got > 0);
	fclose(fp);
	text[len] = '\0';
	return text;
}

int verify_main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		fputs(
		    "Usage: bedrock-ledger verify DIR\n"
		    "Re-hashes the reports that DIR/run.json lists, and the tables and (after a\n"
		    "--hash run) the objects still at their recorded paths. Exit status: 0 all\n"
		    "match, 1 something differs or a report is missing, 2 usage or no run.json.\n",
		    argc == 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return argc == 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	const char *dir = argv[1];
	char *path = join(dir, RUN_JSON_NAME);
	char *text = read_all(path);
	char err[256] = "";
	yajl_val doc = text ? yajl_tree_parse(text, err, sizeof err) : NULL;
	free(text);
	const char *schema = doc ? member_str(doc, "schema") : NULL;
	if (!schema || strcmp(schema, "bedrock-ledger run") != 0) {
		diag_print(path, "%s",
			   !doc && !*err
			       ? strerror(errno)
			       : "not the run.json of a bedrock-ledger run: nothing to verify");
		free(path);
		yajl_tree_free(doc);
		return 2;
	}
	struct verify v = { 0 };
	int bad = check_list(&v, doc, "reports", dir) | check_list(&v, doc, "tables", NULL);
	const char *hash_path[] = { "hash", NULL };
	yajl_val hash = yajl_tree_get(doc, hash_path, yajl_t_true);
	if (hash && !bad)
		check_objects(&v, dir);
	if (bad) {
		diag_print(path, "a list of files is missing or malformed");
		v.differ++;
	}
	printf("%" PRIu64 " file%s checked, %" PRIu64 " differ%s or %s missing, %" PRIu64
	       " not found (not checked)\n",
	       v.checked, v.checked == 1 ? "" : "s", v.differ, v.differ == 1 ? "s" : "",
	       v.differ == 1 ? "is" : "are", v.absent);
	yajl_tree_free(doc);
	free(path);
	return v.differ ? 1 : 0;
}
