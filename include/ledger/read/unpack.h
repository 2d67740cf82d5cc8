/*
 * unpack.h - an archive (tar, possibly gzip/bzip2/xz/zstd compressed, or
 * zip) -> its members, streamed through libarchive, never written to disk.
 *
 * Pipeline: source -> [unpack] -> inflate -> record (each member in turn,
 * itself a byte source, perhaps another archive).
 * Only the tar and zip formats are enabled: libarchive's mtree reader (in
 * format_all) would claim JSON-lines text, and a raw reader would make a
 * compressed log (.json.zst, .json.bz2) a one-member archive, which bedrock-ledger-formats(5), WHAT
 * IS READ does not read: such an object fails with "zstd-compressed, but not a tar archive" (the
 * compression named). Ownership: names and byte sources handed to the callback are valid only
 * during the call.
 */
#ifndef LEDGER_UNPACK_H
#define LEDGER_UNPACK_H

#include <stddef.h>

#include "ledger/support/diag.h"
#include "ledger/read/source.h"

enum member_kind {
	MEMBER_FILE,
	MEMBER_DIRECTORY,
	MEMBER_LINK,  /* symbolic or hard link */
	MEMBER_OTHER, /* device, FIFO, socket */
};

/*
 * Reads the archive whose first n bytes are head (already read from src) and
 * the rest of src, and calls fn(ctx, name, kind, size, data) for each member
 * in archive order. `data` reads a MEMBER_FILE's bytes (NULL for other
 * kinds); whatever fn leaves unread is skipped, and a problem left in
 * data->diag is cleared. `size` is the member's size as stored in the
 * archive.
 * Returns 0, or -1 with the problem in d ("truncated archive", libarchive's
 * message, "read error: ...", ...): the members before the fault have been
 * handed to fn.
 *
 *	struct diag d = DIAG_INIT;
 *	if (unpack_members(head, n, src, on_member, ctx, &d) != 0)
 *		note_error(diag_msg(&d));
 *	diag_clear(&d);
 */
int unpack_members(const unsigned char *head, size_t n, struct byte_source *src,
		   void (*fn)(void *ctx, const char *name, enum member_kind kind,
			      unsigned long long size, struct byte_source *data),
		   void *ctx, struct diag *d);

#endif
