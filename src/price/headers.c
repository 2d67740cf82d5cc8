/*
 * headers.c - which table a CSV header row belongs to.
 */
#include "ledger/price/headers.h"

static bool names(const struct csvrows_row *row, const char *a, const char *b)
{
	for (size_t i = 0; i < row->nfields; i++)
		if (str_eq(row->field[i], str_from(a)) || (b && str_eq(row->field[i], str_from(b))))
			return true;
	return false;
}

bool manifest_header_is(const struct csvrows_row *row)
{
	return names(row, MANIFEST_ARN_COLUMN, NULL);
}

bool prices_header_is(const struct csvrows_row *row)
{
	return names(row, PRICES_INPUT_COLUMN, PRICES_OUTPUT_COLUMN);
}
