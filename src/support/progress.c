/*
 * progress.c - one self-overwriting line on a terminal.
 */
#include "ledger/support/progress.h"

#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void human_bytes(uint64_t b, char *out, size_t cap)
{
	if (b >= (uint64_t)10 << 30)
		snprintf(out, cap, "%.1f GB", (double)b / 1e9);
	else
		snprintf(out, cap, "%.1f MB", (double)b / 1e6);
}

size_t progress_format(const struct progress_state *s, unsigned width, char *buf, size_t cap)
{
	char done[32], total[32], eta[32] = "", files[96] = "";
	double rate = s->elapsed > 0 ? (double)s->bytes_done / 1e6 / s->elapsed : 0;
	human_bytes(s->bytes_done, done, sizeof done);
	if (s->objects_total > 1 && s->objects_from_state)
		snprintf(files, sizeof files,
			 "%" PRIu64 "/%" PRIu64 " files (%" PRIu64 " from the state)  ",
			 s->objects_done, s->objects_total, s->objects_from_state);
	else if (s->objects_total > 1)
		snprintf(files, sizeof files, "%" PRIu64 "/%" PRIu64 " files  ", s->objects_done,
			 s->objects_total);
	int n;
	if (s->bytes_total) {
		uint64_t d = s->bytes_done < s->bytes_total ? s->bytes_done : s->bytes_total;
		unsigned pct = (unsigned)(100.0 * (double)d / (double)s->bytes_total);
		human_bytes(s->bytes_total, total, sizeof total);
		if (d && d < s->bytes_total && rate > 0) {
			/* rounded up: "0m00s" is for when nothing is left */
			double left = (double)(s->bytes_total - d) / 1e6 / rate;
			unsigned sec = left > 359999 ? 359999 : (unsigned)left;
			sec += (double)sec < left;
			snprintf(eta, sizeof eta, "  ETA %um%02us", sec / 60, sec % 60);
		}
		n = snprintf(buf, cap, "%s%3u%%  %s of %s  %" PRIu64 " records  %.1f MB/s%s", files,
			     pct, done, total, s->records, rate, eta);
	} else {
		n = snprintf(buf, cap, "%s%s read  %" PRIu64 " records  %.1f MB/s", files, done,
			     s->records, rate);
	}
	size_t len = n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
	if (width && len > width - 1)
		len = width - 1;
	buf[len] = '\0';
	return len;
}

static unsigned terminal_width(FILE *fp)
{
	struct winsize ws;
	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

void progress_draw(FILE *fp, const struct progress_state *s, unsigned width)
{
	char line[256];
	progress_format(s, width ? width : terminal_width(fp), line, sizeof line);
	fprintf(fp, "\r\033[K%s", line);
	fflush(fp);
}

void progress_clear(FILE *fp)
{
	fputs("\r\033[K", fp);
	fflush(fp);
}
