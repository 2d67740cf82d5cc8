/*
 * archive.h - an archive (tar, possibly gzip/bzip2/xz/zstd compressed, or
 * zip) -> its members, streamed through libarchive, never written to disk.
 *
 * Pipeline: walk -> [archive] -> inflate -> record (each member in turn).
 * Only the tar and zip formats are enabled: libarchive's mtree reader (in
 * format_all) would claim JSON-lines text.
 * Ownership: names and byte sources handed to the callback are valid only
 * during the call.
 */
#ifndef LEDGER_ARCHIVE_H
#define LEDGER_ARCHIVE_H

#include <stddef.h>

#include "ledger/inflate.h"

enum member_kind {
	MEMBER_FILE,
	MEMBER_DIRECTORY,
	MEMBER_LINK,  /* symbolic or hard link */
	MEMBER_OTHER, /* device, FIFO, socket */
};

/*
 * Called for each member in archive order. `data` reads a MEMBER_FILE's
 * bytes (NULL for other kinds); whatever the callback leaves unread is
 * skipped. `size` is the member's size as stored in the archive.
 */
typedef void (*archive_member_fn)(void *ctx, const char *name, enum member_kind kind,
				  unsigned long long size, struct byte_source *data);

/*
 * Reads the archive whose first n bytes are head (already read from src) and
 * the rest of src. Returns 0, or -1 with the problem in err ("truncated
 * archive", libarchive's message, ...): the members before the fault have
 * been handed to fn.
 */
int archive_each(const unsigned char *head, size_t n, struct byte_source *src,
		 archive_member_fn fn, void *ctx, char *err, size_t errlen);

#endif
