/*
 * headers.h - which table a CSV header row belongs to: the column names that
 * tell a tag manifest and a price table apart, for the loaders' own columns
 * and for a table given to the wrong option or as a log
 * (bedrock-ledger-formats(5), TAG MANIFESTS and PRICES).
 */
#ifndef LEDGER_PRICE_HEADERS_H
#define LEDGER_PRICE_HEADERS_H

#include <stdbool.h>

#include "ledger/support/csvrows.h"

#define MANIFEST_ARN_COLUMN "profile_arn"
#define PRICES_INPUT_COLUMN "input_per_mtok"
#define PRICES_OUTPUT_COLUMN "output_per_mtok"

/* Does this header row name a manifest's column (profile_arn)? */
bool manifest_header_is(const struct csvrows_row *row);
/* Does it name a price column (input_per_mtok, output_per_mtok)? */
bool prices_header_is(const struct csvrows_row *row);

#endif
