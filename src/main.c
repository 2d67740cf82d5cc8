/*
 * main.c - argv -> settings (options.c); run the subcommand; its exit status.
 */
#include <stdio.h>
#include <string.h>

#include "ledger/run/options.h"
#include "ledger/run/pipeline.h"
#include "ledger/run/verify.h"
#include "ledger/sql/sql.h"

int main(int argc, char **argv)
{
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
