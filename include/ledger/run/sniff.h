/*
 * sniff.h - a file named as a PATH that is recognisably a table, not a log:
 * a tag manifest, a price table, a billing-name table or a CUR export, each
 * of which belongs to an option (bedrock-ledger(1), INPUTS).
 *
 * Pipeline: pipeline_run -> [sniff] -> walk, before anything is read.
 * The first 16 KiB of each regular file named are read (gzip is inflated as
 * far as they go) and put to the recognisers of manifest.h, prices.h,
 * billing_names.h and cur.h, which also word those modules' own messages
 * about a table given to the wrong option. Directories, standard input,
 * FIFOs and devices are not read (reading would consume them), nor archives.
 */
#ifndef LEDGER_SNIFF_H
#define LEDGER_SNIFF_H

#include <stddef.h>

#include "ledger/support/diag.h"

/*
 * Returns 0 when no named file is a table, else -1 with d set to "PATH:
 * looks like a tag manifest, not a log: give it with -m/--manifest" for the
 * first that is. Files that cannot be opened are left to the walk.
 */
int sniff_paths(const char *const *paths, size_t n, struct diag *d);

#endif
