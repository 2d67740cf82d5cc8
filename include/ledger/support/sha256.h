/*
 * sha256.h - SHA-256 digests (OpenSSL's libcrypto, which uses the CPU's SHA
 * instructions), and the list of table files the run has read.
 *
 * Pipeline: used by the byte sources (--hash: each object's stored bytes,
 * hashed as they are read, never read twice), by the readers of the user's
 * tables (manifests, prices, billing names, CUR, budgets), by run.json and
 * by `bedrock-ledger verify`.
 * Every table file read whole is noted with sha256_note_table (path, size,
 * digest), from any thread; run.json lists them in the order they were read.
 * Ownership: a struct sha256 is the caller's (create/destroy); the table
 * list owns copies of the paths, until sha256_tables_clear.
 *
 *	struct sha256 *h = sha256_create();
 *	sha256_update(h, buf, n);          (as often as bytes come)
 *	sha256_final(h, digest);           (h is reset for the next object)
 */
#ifndef LEDGER_SHA256_H
#define LEDGER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/support/diag.h"

#define SHA256_SIZE 32
#define SHA256_HEX  (2 * SHA256_SIZE + 1) /* 64 hex digits and a NUL */

struct sha256;

struct sha256 *sha256_create(void);    /* never NULL: OOM aborts */
void sha256_destroy(struct sha256 *h); /* NULL is a no-op */
/* Starts over (a new object). */
void sha256_reset(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *p, size_t n);
/* The digest of everything since the last reset; h starts over. */
void sha256_final(struct sha256 *h, unsigned char out[SHA256_SIZE]);
/* 64 lower-case hex digits. */
void sha256_hex(const unsigned char d[SHA256_SIZE], char out[SHA256_HEX]);

/*
 * Reads the file at path to its end: its digest and size. Returns 0, or -1
 * with d set ("PATH: cannot read: REASON").
 */
int sha256_file(const char *path, unsigned char out[SHA256_SIZE], uint64_t *size, struct diag *d);

/* A table file the run read whole. */
struct table_read {
	char *path;
	uint64_t size;
	unsigned char sha256[SHA256_SIZE];
};

/* Notes a table read whole (thread-safe); the same path twice is kept twice. */
void sha256_note_table(const char *path, uint64_t size, const unsigned char d[SHA256_SIZE]);
/* The tables noted so far, in order (valid until the next note or clear). */
const struct table_read *sha256_tables(size_t *n);
void sha256_tables_clear(void);

#endif
