/*
 * test_spill.c - scratch storage: round trips across the 64 KiB write buffer
 * and the flushed/unflushed boundary, writes larger than the buffer, memory
 * mode when no file can be made, and a file that stops taking bytes (a file
 * size limit standing in for a full disk).
 */
#include "ledger/support/spill.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tap.h"

#define BUF (64 * 1024)

/* The bytes expected at each offset: not periodic in 256 or in the buffer size. */
#define MAX_SIZE (2u << 20)
static unsigned char *pat;

static void pattern_init(void)
{
	pat = malloc(MAX_SIZE);
	for (uint64_t i = 0; i < MAX_SIZE; i++)
		pat[i] = (unsigned char)(i * 131 + (i >> 9) * 7 + (i >> 17));
}

/* Appends the next n bytes of the pattern. */
static void put(struct spill *s, size_t n)
{
	uint64_t at = spill_size(s);
	if (at + n > MAX_SIZE) {
		ok(0, "test pattern too short for %llu bytes", (unsigned long long)(at + n));
		return;
	}
	spill_write(s, pat + at, n);
}

/* Reads [off, off+n) back and compares it with the pattern. */
static bool check(struct spill *s, uint64_t off, size_t n)
{
	if (off + n > MAX_SIZE)
		return false;
	unsigned char *got = malloc(n ? n : 1);
	memset(got, 0xEE, n);
	bool good =
	    spill_read_at(s, off, got, n) == 0 && (n == 0 || memcmp(got, pat + off, n) == 0);
	free(got);
	return good;
}

/* Every byte read back through reads of many sizes and alignments. */
static bool check_all(struct spill *s)
{
	uint64_t size = spill_size(s);
	if (!check(s, 0, (size_t)size))
		return false;
	static const size_t sizes[] = { 1, 7, 31, 65535, 65537, 100000 };
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		for (uint64_t off = 0; off + sizes[k] <= size; off += sizes[k] * 3 + 4093)
			if (!check(s, off, sizes[k]))
				return false;
	}
	return true;
}

static void round_trips(const char *mode, bool want_file)
{
	struct spill s;
	spill_init(&s);
	ok((s.fd >= 0) == want_file, "%s: %s", mode, want_file ? "a file" : "in memory");
	is_int(spill_size(&s), 0, "%s: empty", mode);
	unsigned char c;
	ok(spill_read_at(&s, 0, &c, 1) == -1, "%s: nothing to read", mode);
	is_str(diag_msg(&s.diag), "cannot read back a temporary file: Invalid argument",
	       "%s: the problem is kept in the spill", mode);
	ok(spill_read_at(&s, 0, &c, 0) == 0, "%s: zero bytes at the end", mode);

	/* small writes of every size from 1 to 31, past the buffer several times, each
	 * read back at once, and the last buffer boundary checked on the way */
	uint64_t want = 0;
	int bad_size = 0, bad_read = 0;
	bool crossed_flush = false;
	for (size_t round = 0; want < 3 * BUF + 123; round++) {
		size_t n = round % 31 + 1;
		put(&s, n);
		want += n;
		if (spill_size(&s) != want)
			bad_size++;
		if (!check(&s, want - n, n))
			bad_read++;
		/* a read spanning the bytes in the file and the ones still buffered */
		if (want_file && s.flushed > 0 && s.buf_n > 40) {
			crossed_flush = true;
			if (!check(&s, s.flushed - 40, 80))
				bad_read++;
		}
	}
	is_int(bad_size, 0, "%s: spill_size after each small write", mode);
	is_int(bad_read, 0, "%s: each small write read back at once", mode);
	if (want_file)
		ok(crossed_flush && s.flushed > 0,
		   "%s: reads spanned the flushed/unflushed boundary", mode);
	ok(check_all(&s), "%s: all %llu bytes read back", mode, (unsigned long long)want);

	/* a write that fills the buffer exactly, one larger than the buffer, then small ones */
	if (want_file) {
		size_t room = s.buf_cap - s.buf_n;
		put(&s, room);
		want += room;
		ok(s.buf_n == s.buf_cap, "%s: the buffer filled exactly", mode);
		ok(check(&s, want - room - 10, room + 10), "%s: ... and read back", mode);
	}
	put(&s, 5);
	want += 5;
	put(&s, 3 * BUF + 17); /* larger than the buffer, with bytes pending before it */
	want += 3 * BUF + 17;
	is_int(spill_size(&s), want, "%s: size after a large write", mode);
	ok(check(&s, want - 3 * BUF - 17 - 5, 3 * BUF + 22), "%s: the large write read back", mode);
	put(&s, 9);
	want += 9;
	put(&s, BUF + 1); /* larger than the buffer, after a small write */
	want += BUF + 1;
	put(&s, BUF);
	want += BUF;
	spill_write(&s, "", 0);
	is_int(spill_size(&s), want, "%s: size after more writes", mode);
	if (want_file)
		ok(s.fd >= 0 && s.buf_cap == BUF && s.buf_n <= BUF && s.flushed + s.buf_n == want,
		   "%s: still a file; memory held to the one buffer (%zu bytes)", mode, s.buf_cap);
	ok(check_all(&s), "%s: all %llu bytes read back at the end", mode,
	   (unsigned long long)want);

	unsigned char buf[4];
	ok(spill_read_at(&s, want - 3, buf, 4) == -1, "%s: a read past the end fails", mode);
	is_str(diag_msg(&s.diag), "cannot read back a temporary file: Invalid argument",
	       "%s: its message", mode);
	ok(spill_read_at(&s, want + 1, buf, 0) == -1, "%s: an offset past the end fails", mode);
	ok(spill_read_at(&s, want, buf, 0) == 0, "%s: zero bytes at the end", mode);
	spill_finish(&s);
	is_int(s.fd, -1, "%s: finished", mode);
	ok(!diag_has(&s.diag), "%s: finishing clears the problem", mode);
	spill_finish(&s);
	ok(1, "%s: finishing twice is harmless", mode);
}

static void test_unlinked(void)
{
	unsetenv("TMPDIR");
	struct spill s;
	spill_init(&s);
	char link[64], target[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", s.fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	ok(n > 0 && strncmp(target, "/tmp/bedrock-ledger.", 20) == 0 &&
	       strstr(target, " (deleted)") != NULL,
	   "the file is in /tmp and already unlinked (%s)", target);
	spill_finish(&s);
}

static void test_one_large_write(void)
{
	struct spill s;
	spill_init(&s);
	put(&s, 10 * BUF + 3); /* the first write, larger than the buffer */
	is_int(spill_size(&s), 10 * BUF + 3, "one large first write: size");
	ok(check_all(&s), "one large first write: read back");
	spill_finish(&s);
}

/* A file that stops growing at `limit` bytes: as a full disk, the data moves to memory. */
static void test_file_full(rlim_t limit, size_t first, size_t chunk, size_t total)
{
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = limit;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	struct spill s;
	spill_init(&s);
	bool file = s.fd >= 0;
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		printf("# setrlimit: %s\n", strerror(errno));
	put(&s, first);
	while (spill_size(&s) < total) {
		uint64_t left = total - spill_size(&s);
		put(&s, left < chunk ? (size_t)left : chunk);
	}
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, prev);
	ok(file && s.fd == -1, "limit %llu: started in a file, went on in memory",
	   (unsigned long long)limit);
	is_int(spill_size(&s), total, "limit %llu: size", (unsigned long long)limit);
	ok(check_all(&s), "limit %llu: nothing lost: every byte read back",
	   (unsigned long long)limit);
	put(&s, 3 * BUF);
	ok(check(&s, 0, (size_t)spill_size(&s)), "limit %llu: memory mode grows on",
	   (unsigned long long)limit);
	spill_finish(&s);
}

/* A file that cannot be read back: the spill's own message says why (no errno). */
static void test_unreadable(void)
{
	struct spill s;
	spill_init(&s);
	put(&s, 3 * BUF);
	put(&s, 100);
	ok(s.fd >= 0 && s.flushed > 0 && s.buf_n > 0, "unreadable: bytes in file and memory");
	int keep = dup(s.fd);
	close(s.fd);
	errno = 0;
	unsigned char buf[16];
	ok(spill_read_at(&s, 0, buf, sizeof buf) == -1, "unreadable: the read fails");
	is_str(diag_msg(&s.diag), "cannot read back a temporary file: Bad file descriptor",
	       "unreadable: message");
	ok(spill_read_at(&s, s.flushed, buf, 1) == 0, "unreadable: bytes still in memory are read");
	dup2(keep, s.fd);
	close(keep);
	ok(check(&s, 0, 16), "unreadable: the file back, the bytes read again");
	spill_finish(&s);
}

/* A file shorter than what was flushed: an end, not a stale errno. */
static void test_short_file(void)
{
	struct spill s;
	spill_init(&s);
	put(&s, 3 * BUF);
	ok(s.fd >= 0 && ftruncate(s.fd, 10) == 0, "short file: cut to 10 bytes");
	errno = 0;
	unsigned char buf[16];
	ok(spill_read_at(&s, 0, buf, sizeof buf) == -1, "short file: the read fails");
	is_str(diag_msg(&s.diag), "cannot read back a temporary file: unexpected end of file",
	       "short file: message");
	spill_finish(&s);
}

/* A range read back in pieces of odd sizes through a small buffer; then past its end. */
static void test_range(void)
{
	struct spill s;
	spill_init(&s);
	put(&s, 3 * BUF + 123);
	uint64_t off = 1000, end = 2 * BUF + 77;
	struct spill_range r = { .s = &s, .off = off, .end = end, .ahead = 4096 };
	unsigned char got[5000];
	bool good = true;
	uint64_t at = off;
	for (size_t n = 1; spill_range_more(&r); n = n * 3 % 4999 + 1) {
		size_t want = end - at < n ? (size_t)(end - at) : n;
		good = good && spill_range_read(&r, got, want, NULL) == 0 &&
		       memcmp(got, pat + at, want) == 0;
		at += want;
	}
	ok(good && at == end, "a range read back in pieces, through a 4 KiB buffer");
	struct diag d = DIAG_INIT;
	ok(spill_range_read(&r, got, 1, &d) == -1 && strstr(diag_msg(&d), "ends early"),
	   "a read past the range's end: an error that says so");
	diag_clear(&d);
	spill_range_finish(&r);
	struct spill_range whole = { .s = &s, .end = spill_size(&s) };
	good = true;
	for (at = 0; spill_range_more(&whole); at += 1000) {
		size_t want = spill_size(&s) - at < 1000 ? (size_t)(spill_size(&s) - at) : 1000;
		good = good && spill_range_read(&whole, got, want, NULL) == 0 &&
		       memcmp(got, pat + at, want) == 0;
	}
	ok(good && at >= spill_size(&s), "the whole spill through the default buffer");
	spill_range_finish(&whole);
	spill_finish(&s);
}

int main(void)
{
	char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	pattern_init();

	unsetenv("TMPDIR");
	round_trips("file", true);
	setenv("TMPDIR", "", 1);
	round_trips("TMPDIR empty: /tmp", true);
	setenv("TMPDIR", "/nonexistent-ledger-test/dir", 1);
	round_trips("memory", false);
	setenv("TMPDIR", "/tmp", 1);
	test_one_large_write();
	test_unlinked();
	test_unreadable();
	test_short_file();
	test_range();

	unsetenv("TMPDIR");
	test_file_full(100000, 10, 1000, 200000);   /* small writes: a flush fails part-way */
	test_file_full(100000, 10, 200000, 300000); /* a large write fails part-way */
	test_file_full(BUF, 1, 7, 3 * BUF);	    /* the limit on the buffer boundary */
	/* the very first write larger than the buffer, and a file that takes none of it
	 * (once hung: the memory mode grew a capacity of 0 by doubling) */
	test_file_full(0, 100000, 1000, 200000);

	if (saved) {
		setenv("TMPDIR", saved, 1);
		free(saved);
	}
	free(pat);
	return tap_done();
}
