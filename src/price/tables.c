/*
 * tables.c - the price table and the manifests of a run or a script.
 */
#include "ledger/price/tables.h"

#include "ledger/support/diag.h"

int tables_load(struct price_table *p, const char *prices_path, struct manifest **m,
		const char *const *manifests, size_t n)
{
	if ((prices_path ? prices_load_file(p, prices_path) : prices_load_builtin(p)) != 0) {
		diag_print(NULL, "%s", prices_error(p));
		return -1;
	}
	for (size_t i = 0; i < prices_warning_count(p); i++)
		diag_warn(NULL, "%s", prices_warning(p, i));
	if (!n)
		return 0;
	if (!*m)
		*m = manifest_create();
	for (size_t i = 0; i < n; i++) {
		if (manifest_load_file(*m, manifests[i]) != 0) {
			diag_print(NULL, "%s", manifest_error(*m));
			return -1;
		}
	}
	for (size_t i = 0; i < manifest_warning_count(*m); i++)
		diag_warn(NULL, "%s", manifest_warning(*m, i));
	return 0;
}
