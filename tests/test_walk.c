/*
 * test_walk.c - the walker: byte order of paths across tricky names, skip
 * reasons, several command-line paths merged, missing paths, duplicates
 * (named files, stdin, directories named twice or nested, symbolic links),
 * and the pure helpers walk_skip_reason and walk_hour_folder.
 * Builds its trees under a mkdtemp directory and removes them at the end.
 */
#include "ledger/read/walk.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/support/timestamp.h"
#include "ledger/support/xalloc.h"
#include "tap.h"

static char root[] = "/tmp/ledger-test-walk-XXXXXX";

/* root joined with rel, in one of a few rotating static buffers */
static const char *at(const char *rel)
{
	static char bufs[8][1024];
	static int k;
	char *b = bufs[k++ & 7];
	snprintf(b, sizeof bufs[0], "%s/%s", root, rel);
	return b;
}

static void mkdirs(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
}

/* Creates the file rel (and its directories) holding text. */
static void put(const char *rel, const char *text)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", rel);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdirs(dir);
	}
	FILE *f = fopen(at(rel), "wb");
	if (!f) {
		printf("# cannot create %s\n", at(rel));
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *rel)
{
	if (symlink(target, at(rel)) != 0)
		printf("# cannot link %s\n", at(rel));
}

static const char *kind_name(enum input_kind k)
{
	switch (k) {
	case INPUT_FILE:
		return "file";
	case INPUT_STDIN:
		return "stdin";
	case INPUT_SKIP:
		return "skip";
	case INPUT_ERROR:
		return "error";
	}
	return "?";
}

/*
 * Walks args (relative to root, except "-") and returns one line per input:
 * "PATH KIND REASON SIZE[ named]", PATH relative to root. Static buffer.
 */
#define WALK_MAX 64
static char walk_out[16384];
static size_t walk_missing;
static char *walk_paths[WALK_MAX]; /* the full paths of the last walk */
static size_t walk_n;

static const char *walk_options[4]; /* files given with options, relative to root */
static size_t walk_noptions;

static const char *walk(const char *const *args, size_t n)
{
	const char *paths[16], *options[4];
	for (size_t i = 0; i < n; i++)
		paths[i] = strcmp(args[i], "-") == 0 ? "-" : at(args[i]);
	for (size_t i = 0; i < walk_noptions; i++)
		options[i] = at(walk_options[i]);
	struct walker *w = walker_create(paths, n, options, walk_noptions);
	walk_missing = walker_missing_count(w);
	size_t len = 0;
	walk_out[0] = '\0';
	struct input in;
	size_t rootlen = strlen(root);
	for (size_t i = 0; i < walk_n; i++)
		free(walk_paths[i]);
	walk_n = 0;
	while (walker_next(w, &in)) {
		if (walk_n < WALK_MAX)
			walk_paths[walk_n++] = strdup(in.path);
		const char *p = in.path;
		if (strncmp(p, root, rootlen) == 0 && p[rootlen] == '/')
			p += rootlen + 1;
		len += (size_t)snprintf(walk_out + len, sizeof walk_out - len, "%s %s %s %llu%s\n",
					p, kind_name(in.kind), in.reason ? in.reason : "-", in.size,
					in.named ? " named" : "");
		if (len >= sizeof walk_out)
			break;
	}
	walker_destroy(w);
	return walk_out;
}

#define WALK(...)                                                                                  \
	walk((const char *const[]){ __VA_ARGS__ },                                                 \
	     sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

/* The tree of tricky names; every log file holds "{}\n" (3 bytes). */
static void make_tree(void)
{
	static const char *const logs[] = {
		"t/.hidden.json",
		"t/A.json",
		"t/a b.json",
		"t/a-b.json",
		"t/a-c/x.json",
		"t/a/b.json",
		"t/a0.json",
		"t/b.json",
		"t/c/d.json",
		"t/c/d/f/g/h.jsonl",
		"t/data/sub/y.json",
		"t/data/x.json",
		"t/logs/data.json",
		"t/logs/data/y.json",
		"t/logs/database/z.json",
		"t/x.tar.gz",
		"t/y.zip",
		"t/z.tgz",
		"t/~.json",
		"t/\xc3\xa9.json",
	};
	for (size_t i = 0; i < sizeof logs / sizeof *logs; i++)
		put(logs[i], "{}\n");
	put("t/README", "hello\n");
	put("t/a.txt", "text\n");
	put("t/aws-logs-write-test", "");
	put("t/c/d/e.json.gz", "x");
	put("t/empty.json", "");
	put("t/logs/amazon-bedrock-logs-permission-check", "ok");
	put("t/misc/data", "zz\n");
	put("t/b/notes.txt", "n\n");
	/* an empty directory gives no line (and once made qsort(NULL, 0) run) */
	mkdirs("t/b/empty-dir");
	if (mkfifo(at("t/fifo.json"), 0644) != 0)
		printf("# cannot make fifo\n");
}

static const char tree_listing[] = "t/.hidden.json file - 3\n"
				   "t/A.json file - 3\n"
				   "t/README skip not-a-log-name 6\n"
				   "t/a b.json file - 3\n"
				   "t/a-b.json file - 3\n"
				   "t/a-c/x.json file - 3\n"
				   "t/a.txt skip not-a-log-name 5\n"
				   "t/a/b.json file - 3\n"
				   "t/a0.json file - 3\n"
				   "t/aws-logs-write-test skip marker 0\n"
				   "t/b.json file - 3\n"
				   "t/b/notes.txt skip not-a-log-name 2\n"
				   "t/c/d.json file - 3\n"
				   "t/c/d/e.json.gz file - 1\n"
				   "t/c/d/f/g/h.jsonl file - 3\n"
				   "t/data/sub/y.json skip data-object 3\n"
				   "t/data/x.json skip data-object 3\n"
				   "t/empty.json skip empty 0\n"
				   "t/fifo.json skip not-a-regular-file 0\n"
				   "t/logs/amazon-bedrock-logs-permission-check skip marker 2\n"
				   "t/logs/data.json file - 3\n"
				   "t/logs/data/y.json skip data-object 3\n"
				   "t/logs/database/z.json file - 3\n"
				   "t/misc/data skip not-a-log-name 3\n"
				   "t/x.tar.gz file - 3\n"
				   "t/y.zip file - 3\n"
				   "t/z.tgz file - 3\n"
				   "t/~.json file - 3\n"
				   "t/\xc3\xa9.json file - 3\n";

static int by_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths of the last walk, in walk order and fully sorted, must agree. */
static void check_full_sort(const char *what)
{
	char *sorted[WALK_MAX];
	memcpy(sorted, walk_paths, walk_n * sizeof *sorted);
	qsort(sorted, walk_n, sizeof *sorted, by_strcmp);
	size_t same = 0;
	while (same < walk_n && strcmp(walk_paths[same], sorted[same]) == 0)
		same++;
	ok(walk_n > 0 && same == walk_n,
	   "%s: the walk order is the full sort's (%zu of %zu in place)", what, same, walk_n);
}

static void test_order_and_reasons(void)
{
	is_str(WALK("t"), tree_listing, "one directory: byte order and skip reasons");
	is_int(walk_missing, 0, "nothing missing");
	check_full_sort("tree");

	is_str(WALK("t/"), tree_listing, "a trailing slash changes nothing");
}

static void test_merge(void)
{
	put("m/x/f.json", "{}\n");
	put("m/x-y/g.json", "{}\n");
	const char *got = WALK("t/logs", "t/README", "m/x-y", "m/x", "nope", "t/nope/deeper");
	is_str(got,
	       "m/x-y/g.json file - 3\n"
	       "m/x/f.json file - 3\n"
	       "t/README file - 6 named\n"
	       "t/logs/amazon-bedrock-logs-permission-check skip marker 2\n"
	       "t/logs/data.json file - 3\n"
	       "t/logs/data/y.json skip data-object 3\n"
	       "t/logs/database/z.json file - 3\n",
	       "several paths merged into one byte order; a named file is always read");
	check_full_sort("merge");
	is_int(walk_missing, 2, "two missing paths counted");

	const char *const paths[] = { at("nope"), at("t/a.txt"), at("t/a.txt/x") };
	struct walker *w = walker_create(paths, 3, NULL, 0);
	is_int(walker_missing_count(w), 2, "missing: a path and a path below a file");
	is_str(walker_missing(w, 0), at("nope"), "first missing path");
	is_str(walker_missing(w, 1), at("t/a.txt/x"), "second missing path");
	struct input in;
	ok(walker_next(w, &in) == 1 && in.kind == INPUT_FILE && in.named,
	   "the existing one is read");
	ok(walker_next(w, &in) == 0, "then the end");
	ok(walker_next(w, &in) == 0, "and the end again");
	walker_destroy(w);

	w = walker_create(NULL, 0, NULL, 0);
	ok(walker_next(w, &in) == 0, "no paths: nothing");
	is_int(walker_missing_count(w), 0, "no paths: nothing missing");
	walker_destroy(w);
	walker_destroy(NULL);
}

static void test_duplicates(void)
{
	is_str(WALK("t/c", "t/c/d.json"),
	       "t/c/d.json skip duplicate 3\n"
	       "t/c/d.json file - 3 named\n"
	       "t/c/d/e.json.gz file - 1\n"
	       "t/c/d/f/g/h.jsonl file - 3\n",
	       "a named file inside a walked directory is read once, as named");
	is_str(WALK("t/c/d.json", "t/c"),
	       "t/c/d.json file - 3 named\n"
	       "t/c/d.json skip duplicate 3\n"
	       "t/c/d/e.json.gz file - 1\n"
	       "t/c/d/f/g/h.jsonl file - 3\n",
	       "the same, named first");
	is_str(WALK("t/misc/data", "t/misc"),
	       "t/misc/data file - 3 named\n"
	       "t/misc/data skip duplicate 3\n",
	       "a named file is read even where the walk would skip it");
	is_str(WALK("t/b.json", "t/b.json"),
	       "t/b.json file - 3 named\n"
	       "t/b.json skip duplicate 3 named\n",
	       "the same file named twice");
	is_str(WALK("t/b.json", "t/./b.json"),
	       "t/./b.json skip duplicate 3 named\n"
	       "t/b.json file - 3 named\n",
	       "the same file under two names: read once");
	is_str(WALK("-", "t/A.json", "-"),
	       "(stdin) stdin - 0 named\n"
	       "(stdin) skip duplicate 0 named\n"
	       "t/A.json file - 3 named\n",
	       "- twice: read once");
	is_str(WALK("t/c", "t/c"),
	       "t/c/d.json file - 3\n"
	       "t/c/d/e.json.gz file - 1\n"
	       "t/c/d/f/g/h.jsonl file - 3\n",
	       "a directory named twice is walked once");
	is_str(WALK("t/c", "t/c/", "t/./c"),
	       "t/c/d.json file - 3\n"
	       "t/c/d/e.json.gz file - 1\n"
	       "t/c/d/f/g/h.jsonl file - 3\n",
	       "... also under other spellings");
	is_str(WALK("t", "t/c/"), tree_listing, "a directory inside a named one: walked once");
	is_str(WALK("t/c/d", "t"), tree_listing, "... named first");
	is_str(WALK("t/c/d/f", "t/c"),
	       "t/c/d.json file - 3\n"
	       "t/c/d/e.json.gz file - 1\n"
	       "t/c/d/f/g/h.jsonl file - 3\n",
	       "... two levels down");
}

static void test_links(void)
{
	put("s/f.json", "{}\n");
	put("s/sub/k.json", "{}\n");
	put("outside/o.json", "{}{}\n");
	put("outside/dir/g.json", "{}\n");
	link_to("f.json", "s/e-link.json");
	link_to("f.json", "s/g-link.json");
	link_to("../outside/o.json", "s/out1.json");
	link_to("../outside/o.json", "s/out2.json");
	link_to("../outside/dir/g.json", "s/out3.json");
	link_to("../outside/dir", "s/outdir");
	link_to("self.json", "s/self.json");
	link_to("nowhere.json", "s/broken.json");
	link_to(".", "s/loop");
	link_to("..", "s/sub/up");
	/* what follows the links to f.json, whichever of them is read */
#define S_OUTSIDE_AND_LOOPS                                                                        \
	"s/out1.json file - 5\n"                                                                   \
	"s/out2.json skip duplicate 5\n"                                                           \
	"s/out3.json file - 3\n"                                                                   \
	"s/outdir/g.json skip duplicate 3\n"                                                       \
	"s/self.json error cannot stat: Too many levels of symbolic links 0\n"                     \
	"s/sub/k.json file - 3\n"
	is_str(WALK("s"),
	       "s/broken.json error cannot stat: No such file or directory 0\n"
	       "s/e-link.json skip duplicate 3\n"
	       "s/f.json file - 3\n"
	       "s/g-link.json skip duplicate 3\n" S_OUTSIDE_AND_LOOPS,
	       "links: to a file inside (duplicate), two to one file outside (second duplicate), "
	       "a directory outside, loops passed over, broken and self links are errors");
	is_str(WALK("s/outdir"), "s/outdir/g.json file - 3\n",
	       "a named link to a directory is walked");
	is_str(WALK("s/e-link.json", "s"),
	       "s/broken.json error cannot stat: No such file or directory 0\n"
	       "s/e-link.json file - 3 named\n"
	       "s/e-link.json skip duplicate 3\n"
	       "s/f.json skip duplicate 3\n"
	       "s/g-link.json skip duplicate 3\n" S_OUTSIDE_AND_LOOPS,
	       "a named link: the file it names is read once, as named");
#undef S_OUTSIDE_AND_LOOPS

	static const char both[] =
	    "outside/dir/g.json file - 3\n"
	    "outside/o.json file - 5\n"
	    "s/broken.json error cannot stat: No such file or directory 0\n"
	    "s/e-link.json skip duplicate 3\n"
	    "s/f.json file - 3\n"
	    "s/g-link.json skip duplicate 3\n"
	    "s/out1.json skip duplicate 5\n"
	    "s/out2.json skip duplicate 5\n"
	    "s/out3.json skip duplicate 3\n"
	    "s/self.json error cannot stat: Too many levels of symbolic links 0\n"
	    "s/sub/k.json file - 3\n";
	is_str(WALK("outside", "s"), both,
	       "links into another named directory: its files are read there, once");
	is_str(WALK("s", "outside"), both, "... named in the other order");

	/* a link into the tree that sorts after the directory it names */
	put("l2/c/x.json", "{}\n");
	link_to("c", "l2/z-link");
	is_str(WALK("l2"), "l2/c/x.json file - 3\n",
	       "a link to a directory walked already: passed over");

	/* a link into the tree that sorts before the directory it names */
	put("l/c/x.json", "{}\n");
	link_to("c", "l/a-link");
	const char *got = WALK("l");
	/* the walk once entered l/c through the link first and then passed over l/c */
	ok(strstr(got, "l/c/x.json file - 3\n") != NULL,
	   "a link that sorts first does not hide its directory");
	ok(strstr(got, "l/a-link/") == NULL, "a link to a directory in the tree is not entered");

	/* the same across command-line paths: the link into the other walked tree is not
	 * entered, whichever walk comes first */
	put("o2/dir/g.json", "{}\n");
	mkdirs("s2");
	link_to("../o2/dir", "s2/lnk");
	got = WALK("s2", "o2");
	ok(strstr(got, "o2/dir/g.json file - 3\n") != NULL && strstr(got, "s2/lnk") == NULL,
	   "a link into another walked tree is left to that walk");
	got = WALK("o2", "s2");
	ok(strstr(got, "o2/dir/g.json file - 3\n") != NULL && strstr(got, "s2/lnk") == NULL,
	   "... in either order");
}

/* Files given with options are skipped by identity, whatever their name; so is a --cur DIR. */
static void test_option_files(void)
{
	put("opt/logs/x.json", "{}\n");
	put("opt/prof.json", "{}\n");
	put("opt/cur/data/part-1.csv.gz", "x");
	put("opt/cur/metadata/Manifest.json", "{}\n");
	put("opt/bill.csv.gz", "x");
	put("opt/t.parquet", "x");
	if (link(at("opt/prof.json"), at("opt/same.json")) != 0)
		printf("# cannot link opt/same.json\n");
	walk_options[0] = "opt/prof.json";
	walk_options[1] = "opt/cur";
	walk_noptions = 2;
	is_str(WALK("opt"),
	       "opt/bill.csv.gz skip not-a-log-name 1\n"
	       "opt/cur/data/part-1.csv.gz skip is-an-option-file 1\n"
	       "opt/cur/metadata/Manifest.json skip is-an-option-file 3\n"
	       "opt/logs/x.json file - 3\n"
	       "opt/prof.json skip is-an-option-file 3\n"
	       "opt/same.json skip is-an-option-file 3\n"
	       "opt/t.parquet skip not-a-log-name 1\n",
	       "option files: skipped by device and inode, and everything under --cur DIR");
	is_str(WALK("opt/cur"),
	       "opt/cur/data/part-1.csv.gz skip is-an-option-file 1\n"
	       "opt/cur/metadata/Manifest.json skip is-an-option-file 3\n",
	       "option files: a walked directory given with an option");
	walk_noptions = 0;
	is_str(WALK("opt/prof.json"), "opt/prof.json file - 3 named\n",
	       "without the option, the same file named is read");
}

static void test_skip_reason(void)
{
	/* one group a line: the reason ("-": the file is read), its size, the names (relative
	 * paths) */
	static const char groups[] =
	    "- 1 x.json.gz x.jsonl.gz x.json x.jsonl x.gz x.tar x.tgz x.tar.gz x.tar.bz2 x.tar.xz "
	    "x.tar.zst x.zip\n"
	    "- 1 a/b/c/x.json.gz .hidden.json database/x.json mydata/x.json Data/x.json "
	    "a/data.json\n"
	    "- 1 aws-logs-write-test.json\n"
	    "not-a-log-name 1 x.JSON x.json.bak x.txt README x.json.zst json data a/data\n"
	    /* tables: a CUR export's parts, a manifest, a price table */
	    "not-a-log-name 1 cur.csv cur.csv.gz x.parquet a/data-1.csv.gz tags.csv\n"
	    /* a suffix with no name before it is no log name */
	    "not-a-log-name 1 .json .jsonl .gz .zip a/.json .json.gz a/.jsonl.gz .tar.gz .tar.bz2\n"
	    "data-object 1 data/x.json a/data/x.json a/data/b/x.json "
	    "data/amazon-bedrock-logs-permission-check\n"
	    "data-object 0 data/x.json\n"
	    /* other services' logs in the same bucket (bedrock-ledger-formats(5), WHAT IS READ) */
	    "not-bedrock-logs 1 AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/x.json.gz"
	    " AWSLogs/o-abc123def4/111122223333/CloudTrail/us-east-1/x.json.gz"
	    " p/AWSLogs/111122223333/elasticloadbalancing/us-east-1/x.log.gz"
	    " AWSLogs/111122223333/vpcflowlogs/us-east-1/x.log.gz\n"
	    "- 1 AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/12/x.json.gz"
	    " AWSLogs/o-abc123def4/111122223333/BedrockModelInvocationLogs/r/x.json.gz"
	    " AWSLogs/12345/CloudTrail/x.json AWSLogs/111122223333/x.json "
	    "AWSLogs/CloudTrail/x.json\n"
	    /* a key prefix named data, before AWSLogs, is the user's, not an offload folder */
	    "- 1 data/AWSLogs/1/BedrockModelInvocationLogs/r/2026/10/01/12/x.json.gz\n"
	    "- 1 data/AWSLogs/x/data/y/AWSLogs/z.json\n"
	    "data-object 1 "
	    "data/AWSLogs/1/BedrockModelInvocationLogs/r/2026/10/01/12/data/x.json.gz\n"
	    "marker 1 amazon-bedrock-logs-permission-check aws-logs-write-test\n"
	    "marker 0 a/amazon-bedrock-logs-permission-check a/aws-logs-write-test\n"
	    "empty 0 x.json README\n";
	char *text = xstrdup(groups), *lines = NULL;
	size_t n = 0;
	for (char *line = strtok_r(text, "\n", &lines); line; line = strtok_r(NULL, "\n", &lines)) {
		char *words = NULL;
		const char *want = strtok_r(line, " ", &words);
		unsigned long long size = strtoull(strtok_r(NULL, " ", &words), NULL, 10);
		for (char *name = strtok_r(NULL, " ", &words); name;
		     name = strtok_r(NULL, " ", &words), n++) {
			const char *got = walk_skip_reason(name, size);
			if (strcmp(want, "-") != 0)
				is_str(got, want, "skip reason of '%s' (%llu bytes)", name, size);
			else
				ok(got == NULL, "'%s' is read (got %s)", name, got ? got : "NULL");
		}
	}
	is_int(n, 64, "64 names");
	free(text);
}

static void test_hour_folder(void)
{
	struct ts h = { -1, -1 };
	const char *p = "AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2026/10/01/13/"
			"x.json.gz";
	ok(walk_hour_folder(p, &h) == 0, "an S3 key with its hour folders");
	is_int(h.sec, 1790859600, "2026/10/01/13 is 1790859600");
	is_int(h.nsec, 0, "at the hour");
	ok(walk_hour_folder("/logs/2024/02/29/00/a.json", &h) == 0, "a leap day");
	is_int(h.sec, 1709164800, "2024-02-29T00:00:00Z");
	ok(walk_hour_folder("x/1970/01/01/23/a", &h) == 0, "the epoch's day");
	is_int(h.sec, 23 * 3600, "1970-01-01T23:00:00Z");
	ok(walk_hour_folder("x/2025/12/31/23/a", &h) == 0, "the last hour of a year");
	is_int(h.sec, 1767222000, "2025-12-31T23:00:00Z");

	static const char *const bad[] = {
		"x/2026/13/01/13/a.json", /* month 13 */
		"x/2026/00/01/13/a.json", /* month 0 */
		"x/2026/10/00/13/a.json", /* day 0 */
		"x/2026/10/32/13/a.json", /* day 32 */
		"x/2026/10/01/24/a.json", /* hour 24 */
		"x/2026/10/01/1/a.json",  /* width 1 */
		"x/2026/10/1/13/a.json",
		"x/2026/1/01/13/a.json",
		"x/226/10/01/13/a.json",
		"x/02026/10/01/13/a.json",
		"x/2026/010/01/13/a.json",
		"x/2026/10/01/013/a.json",
		"x/2026/10/01/1a/a.json", /* not digits */
		"x/2026/+1/01/13/a.json",
		"x/2026/10/01/13", /* the hour as the file name: no folder above it */
		"10/01/13/a.json", /* too few segments */
		"/10/01/13/a.json",
		"a.json",
		"",
		"x/2026-10-01/13/a.json",
		"x/2026/10/01/13/a/b.json", /* the folders not right above the file */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(walk_hour_folder(bad[i], &h) == -1, "no hour folder in '%s'", bad[i]);
	/* days a month does not have */
	ok(walk_hour_folder("x/2026/02/30/00/a.json", &h) == -1, "February 30");
	ok(walk_hour_folder("x/2025/02/29/00/a.json", &h) == -1, "February 29 of 2025");
	ok(walk_hour_folder("x/2024/02/29/00/a.json", &h) == 0, "February 29 of 2024");
	ok(walk_hour_folder("x/2026/04/31/00/a.json", &h) == -1, "April 31");
	/* a relative path that starts with the year folder */
	ok(walk_hour_folder("2026/10/01/13/x.json.gz", &h) == 0 && h.sec == 1790859600,
	   "a path that starts at YYYY");
}

/*
 * Many command-line directories (a glob of hour folders): the walk keeps a
 * bounded number of them open, so that a run keeps descriptors for what it
 * opens beside the walk (objects, spills, the state, the reports: 40 at once
 * here) under a low limit.
 */
static void test_many_roots(void)
{
	enum { ROOTS = 300 };
	char *paths[ROOTS];
	for (int i = 0; i < ROOTS; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "many/%03d/x.json", i);
		put(rel, "{}\n");
		snprintf(rel, sizeof rel, "many/%03d", i);
		paths[i] = xstrdup(at(rel));
	}
	struct rlimit old, low;
	getrlimit(RLIMIT_NOFILE, &old);
	low = old;
	low.rlim_cur = 160; /* over KEPT_OPEN (64), under ROOTS */
	int set = setrlimit(RLIMIT_NOFILE, &low);
	struct walker *w = walker_create((const char *const *)paths, ROOTS, NULL, 0);
	struct input in;
	size_t files = 0, opened = 0;
	while (walker_next(w, &in)) {
		files += in.kind == INPUT_FILE;
		int fd[40];
		size_t n = 0;
		while (in.kind == INPUT_FILE && n < 40 && (fd[n] = open(in.path, O_RDONLY)) >= 0)
			n++;
		opened += n == 40;
		while (n)
			close(fd[--n]);
	}
	walker_destroy(w);
	setrlimit(RLIMIT_NOFILE, &old);
	ok(set == 0, "the descriptor limit is lowered to 160");
	ok(files == ROOTS, "300 directories walked: %zu files", files);
	ok(opened == ROOTS, "40 descriptors free at every object of the walk: %zu of 300", opened);
	for (int i = 0; i < ROOTS; i++)
		free(paths[i]);
}

int main(void)
{
	if (!mkdtemp(root)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	make_tree();
	test_order_and_reasons();
	test_merge();
	test_duplicates();
	test_links();
	test_option_files();
	test_skip_reason();
	test_hour_folder();
	test_many_roots();

	for (size_t i = 0; i < walk_n; i++)
		free(walk_paths[i]);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	ok(system(cmd) == 0, "temp tree removed");
	return tap_done();
}
