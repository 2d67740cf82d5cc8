/*
 * sha256.c - SHA-256 through libcrypto (SHA256_Init where it has it, else EVP), and
 * the table list.
 */
#include "ledger/support/sha256.h"

#include "config.h"
#if LEDGER_HAVE_SHA256_INIT
#define OPENSSL_SUPPRESS_DEPRECATED /* see meson.build: the same digest, 2 MiB less */
#include <openssl/sha.h>
#else
#include <openssl/evp.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/support/xalloc.h"

struct sha256 {
#if LEDGER_HAVE_SHA256_INIT
	SHA256_CTX ctx;
#else
	EVP_MD_CTX *ctx;
#endif
};

/* libcrypto fails here only when out of memory: treated as OOM, like xmalloc. */
static void must(int ok)
{
	if (!ok)
		abort();
}

struct sha256 *sha256_create(void)
{
	struct sha256 *h = xcalloc(1, sizeof *h);
#if !LEDGER_HAVE_SHA256_INIT
	h->ctx = EVP_MD_CTX_new();
	must(h->ctx != NULL);
#endif
	sha256_reset(h);
	return h;
}

void sha256_destroy(struct sha256 *h)
{
	if (!h)
		return;
#if !LEDGER_HAVE_SHA256_INIT
	EVP_MD_CTX_free(h->ctx);
#endif
	free(h);
}

void sha256_reset(struct sha256 *h)
{
#if LEDGER_HAVE_SHA256_INIT
	must(SHA256_Init(&h->ctx));
#else
	must(EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL));
#endif
}

void sha256_update(struct sha256 *h, const void *p, size_t n)
{
	if (!n)
		return;
#if LEDGER_HAVE_SHA256_INIT
	must(SHA256_Update(&h->ctx, p, n));
#else
	must(EVP_DigestUpdate(h->ctx, p, n));
#endif
}

void sha256_final(struct sha256 *h, unsigned char out[SHA256_SIZE])
{
#if LEDGER_HAVE_SHA256_INIT
	must(SHA256_Final(out, &h->ctx));
#else
	unsigned int n = 0;
	must(EVP_DigestFinal_ex(h->ctx, out, &n) && n == SHA256_SIZE);
#endif
	sha256_reset(h);
}

void sha256_hex(const unsigned char d[SHA256_SIZE], char out[SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < SHA256_SIZE; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * SHA256_SIZE] = '\0';
}

int sha256_file(const char *path, unsigned char out[SHA256_SIZE], uint64_t *size, struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_set(d, "%s: cannot read: %s", path, strerror(errno));
	struct sha256 *h = sha256_create();
	unsigned char *buf = xmalloc(1 << 16);
	uint64_t total = 0;
	ssize_t r;
	while ((r = read(fd, buf, 1 << 16)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		sha256_update(h, buf, (size_t)r);
		total += (uint64_t)r;
	}
	int err = r < 0 ? errno : 0;
	close(fd);
	free(buf);
	if (!err) {
		sha256_final(h, out);
		*size = total;
	}
	sha256_destroy(h);
	if (err)
		return diag_set(d, "%s: cannot read: %s", path, strerror(err));
	return 0;
}

static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;
static struct table_read *tables;
static size_t ntables, cap_tables;

void sha256_note_table(const char *path, uint64_t size, const unsigned char d[SHA256_SIZE])
{
	pthread_mutex_lock(&tables_lock);
	if (ntables == cap_tables) {
		cap_tables = cap_tables ? 2 * cap_tables : 8;
		tables = xrealloc(tables, cap_tables * sizeof *tables);
	}
	struct table_read *t = &tables[ntables++];
	t->path = xstrdup(path);
	t->size = size;
	memcpy(t->sha256, d, SHA256_SIZE);
	pthread_mutex_unlock(&tables_lock);
}

const struct table_read *sha256_tables(size_t *n)
{
	*n = ntables;
	return tables;
}

void sha256_tables_clear(void)
{
	pthread_mutex_lock(&tables_lock);
	for (size_t i = 0; i < ntables; i++)
		free(tables[i].path);
	free(tables);
	tables = NULL;
	ntables = cap_tables = 0;
	pthread_mutex_unlock(&tables_lock);
}
