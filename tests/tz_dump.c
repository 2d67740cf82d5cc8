/*
 * tz_dump.c - for tests/tz_zoneinfo.py: reads lines "ZONE SECONDS" and
 * prints "ZONE SECONDS OFFSET" (tz_offset), or "ZONE error MESSAGE".
 */
#include <stdio.h>
#include <string.h>

#include "ledger/support/tz.h"

int main(void)
{
	char name[256], cur[256] = "";
	long long t;
	struct tz *z = NULL;
	while (scanf("%255s %lld", name, &t) == 2) {
		if (strcmp(name, cur) != 0) {
			struct diag d = DIAG_INIT;
			tz_free(z);
			z = tz_load(name, &d);
			snprintf(cur, sizeof cur, "%s", name);
			if (!z)
				printf("%s error %s\n", name, diag_msg(&d));
			diag_clear(&d);
		}
		if (z)
			printf("%s %lld %d\n", name, t, (int)tz_offset(z, t));
	}
	tz_free(z);
	return 0;
}
