/*
 * progress.c - one self-overwriting line on a terminal.
 */
#include "ledger/progress.h"

#include <inttypes.h>

void progress_draw(FILE *fp, const struct progress_state *s)
{
	double mb = (double)s->bytes_done / 1e6;
	double rate = s->elapsed > 0 ? mb / s->elapsed : 0;
	char eta[32] = "";
	if (s->bytes_total && s->bytes_done && s->bytes_done < s->bytes_total && rate > 0) {
		double left = ((double)(s->bytes_total - s->bytes_done) / 1e6) / rate;
		snprintf(eta, sizeof eta, "  ETA %um%02us", (unsigned)(left / 60), (unsigned)left % 60);
	}
	unsigned pct = s->bytes_total ? (unsigned)(100.0 * (double)s->bytes_done / (double)s->bytes_total) : 0;
	fprintf(fp, "\r\033[K%" PRIu64 "/%" PRIu64 " files  %3u%%  %" PRIu64 " records  %.1f MB/s%s",
		s->objects_done, s->objects_total, pct > 100 ? 100 : pct, s->records, rate, eta);
	fflush(fp);
}

void progress_clear(FILE *fp)
{
	fputs("\r\033[K", fp);
	fflush(fp);
}
