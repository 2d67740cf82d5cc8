/*
 * main.c - argv -> settings (options.c); run the subcommand; its exit status.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "ledger/run/options.h"
#include "ledger/run/pipeline.h"
#include "ledger/run/verify.h"
#include "ledger/sql/sql.h"

/*
 * glibc's allocator, set for a run that must stay small (bedrock-ledger(1), GUARANTEES AND LIMITS):
 * one arena, not one per worker (a worker's arena keeps what it freed, and the
 * views' rows are allocated by whichever worker holds them); blocks of 128 KiB
 * and more mapped and unmapped at once, not kept after a first one is freed.
 */
static void allocator_setup(void)
{
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

int main(int argc, char **argv)
{
	allocator_setup();
	if (argc > 1 && strcmp(argv[1], "verify") == 0)
		return verify_main(argc - 1, argv + 1);
	struct options o;
	int status = options_parse(&o, argc, argv);
	if (status < 0 && o.command == OPTIONS_SQL) {
		status = sql_main(&o.run, o.dialect);
	} else if (status < 0) {
		status = (int)pipeline_run(&o.run);
		if (fflush(stdout) != 0 && status == LEDGER_EXIT_OK)
			status = LEDGER_EXIT_IO;
	}
	options_finish(&o);
	return status;
}
