/*
 * svg.c - four kinds of chart as inline SVG (doubles for geometry only).
 */
#include "ledger/views/svg.h"

#include <math.h>

#include "ledger/support/escape.h"

#define W 640.0 /* the viewBox width; the page scales it */
#define LEFT 56.0
#define RIGHT 8.0

static void open_svg(FILE *fp, const char *aria, double h)
{
	fprintf(fp,
		"<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		"aria-label=\"",
		W, h);
	escape_html_cstr(fp, aria);
	fputs("\">", fp);
}

/* A round step for about four grid lines up to max. */
static double nice_step(double max)
{
	if (!(max > 0))
		return 1;
	double raw = max / 4, mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

/* Grid lines and their labels (a scale, not data: the table beside has the numbers). */
static double axis(FILE *fp, double top, double h, double max)
{
	double step = nice_step(max);
	double top_value = ceil(max / step) * step;
	if (!(top_value > 0))
		top_value = step;
	for (double y = 0; y <= top_value + step / 2; y += step) {
		double py = top + h - h * y / top_value;
		fprintf(fp,
			"<line class=\"grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text class=\"tick\" x=\"%.0f\" y=\"%.1f\">$%g</text>",
			LEFT, W - RIGHT, py, py, LEFT - 4, py + 4, y);
	}
	return top_value;
}

void svg_bars(FILE *fp, const char *aria, const struct str *labels, const double *values,
	      size_t n)
{
	const double row = 36, top = 6;
	double max = 0;
	for (size_t i = 0; i < n; i++)
		max = values[i] > max ? values[i] : max;
	open_svg(fp, aria, top + row * (double)(n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		double y = top + row * (double)i;
		double w = max > 0 ? (W - 8) * values[i] / max : 0;
		fprintf(fp, "<text class=\"label\" x=\"4\" y=\"%.0f\">", y + 14);
		escape_html_str(fp, labels[i].n ? labels[i] : STR_LIT("(none)"));
		fprintf(fp,
			"</text><rect class=\"s%u\" x=\"4\" y=\"%.0f\" width=\"%.1f\" "
			"height=\"12\"/>",
			(unsigned)(i < SVG_SERIES - 1 ? 0 : SVG_SERIES - 1), y + 19,
			w > 0 && w < 1 ? 1 : w);
	}
	fputs("</svg>\n", fp);
}

/* Every k-th label of n fits under the plot. */
static size_t label_every(size_t n, size_t fit)
{
	return n > fit ? (n + fit - 1) / fit : 1;
}

static void x_label(FILE *fp, double x, double y, struct str s)
{
	fprintf(fp, "<text class=\"xlabel\" x=\"%.1f\" y=\"%.0f\">", x, y);
	escape_html_str(fp, s.n ? s : STR_LIT("(none)"));
	fputs("</text>", fp);
}

void svg_stacked(FILE *fp, const char *aria, const struct str *cols, size_t ncols,
		 size_t nseries, const unsigned *colour, const double *v)
{
	const double top = 10, h = 200, bottom = 40;
	double max = 0;
	for (size_t c = 0; c < ncols; c++) {
		double sum = 0;
		for (size_t s = 0; s < nseries; s++)
			sum += v[s * ncols + c];
		max = sum > max ? sum : max;
	}
	open_svg(fp, aria, top + h + bottom);
	double scale = axis(fp, top, h, max);
	double slot = (W - LEFT - RIGHT) / (double)(ncols ? ncols : 1);
	size_t every = label_every(ncols, 6);
	for (size_t c = 0; c < ncols; c++) {
		double x = LEFT + slot * (double)c + slot * 0.1, y = top + h;
		for (size_t s = 0; s < nseries; s++) {
			double bh = h * v[s * ncols + c] / scale;
			if (!(bh > 0))
				continue;
			y -= bh;
			fprintf(fp,
				"<rect class=\"s%u\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\"/>",
				colour[s], x, y, slot * 0.8, bh);
		}
		if (c % every == 0)
			x_label(fp, LEFT + slot * ((double)c + 0.5), top + h + 16, cols[c]);
	}
	fputs("</svg>\n", fp);
}

void svg_line(FILE *fp, const char *aria, const double *v, const bool *marked, size_t n,
	      const struct str *ticks, size_t every)
{
	const double top = 10, h = 180, bottom = 30;
	double max = 0;
	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	open_svg(fp, aria, top + h + bottom);
	double scale = axis(fp, top, h, max);
	double dx = (W - LEFT - RIGHT) / (double)(n > 1 ? n - 1 : 1);
	size_t step = every ? every * label_every(n / every + 1, 6) : n + 1;
	fputs("<polyline class=\"line\" points=\"", fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s%.1f,%.1f", i ? " " : "", LEFT + dx * (double)i,
			top + h - h * v[i] / scale);
	fputs("\"/>", fp);
	for (size_t i = 0; i < n; i++) {
		if (marked[i])
			fprintf(fp, "<circle class=\"spike\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/>",
				LEFT + dx * (double)i, top + h - h * v[i] / scale);
		if (ticks && i % step == 0)
			x_label(fp, LEFT + dx * (double)i, top + h + 18, ticks[i / every]);
	}
	fputs("</svg>\n", fp);
}

void svg_waterfall(FILE *fp, const char *aria, const double *v, const bool *total, size_t n)
{
	const double top = 10, h = 200, bottom = 30;
	double run = 0, max = 0, min = 0;
	for (size_t i = 0; i < n; i++) {
		run = total[i] ? v[i] : run + v[i];
		max = run > max ? run : max;
		min = run < min ? run : min;
	}
	open_svg(fp, aria, top + h + bottom);
	double scale = axis(fp, top, h, max - min);
	double slot = (W - LEFT - RIGHT) / (double)(n ? n : 1);
	run = 0;
	for (size_t i = 0; i < n; i++) {
		double from = total[i] ? 0 : run, to = total[i] ? v[i] : run + v[i];
		run = to;
		double lo = from < to ? from : to, hi = from < to ? to : from;
		double y = top + h - h * (hi - min) / scale, bh = h * (hi - lo) / scale;
		double x = LEFT + slot * (double)i + slot * 0.15;
		fprintf(fp,
			"<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			total[i] ? "total" : v[i] < 0 ? "down" : "up", x, y, slot * 0.7,
			bh > 0.5 ? bh : 0.5);
		/* steps are numbered: the table beside names them (long names would not fit) */
		fprintf(fp, "<text class=\"xlabel\" x=\"%.1f\" y=\"%.0f\">%zu</text>",
			LEFT + slot * ((double)i + 0.5), top + h + 16, i + 1);
	}
	fputs("</svg>\n", fp);
}
