/*
 * svg.h - the charts of report.html, drawn as inline SVG: horizontal bars,
 * stacked columns, a line with marked points, and a waterfall.
 *
 * Pipeline: html -> [svg].
 * A chart is a picture of numbers that the page also prints as a table
 * beside it: values come in as doubles for geometry only (money stays
 * exact in the tables). Labels are input-derived text and are escaped
 * (escape.h). Series colours are CSS classes s0..s9 (s9 is "others"), so
 * that the page's style sheet, not the chart, decides the palette and the
 * SVG carries no style attribute. Each chart scales to its container
 * (viewBox, width 100%) and carries an aria-label naming what it shows.
 * Ownership: nothing is kept; the functions write to the caller's stream.
 */
#ifndef LEDGER_SVG_H
#define LEDGER_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ledger/support/str.h"

#define SVG_SERIES 10 /* colour classes s0..s9; the last is for "others" */

/* Horizontal bars, one per label, longest first as given; values >= 0. */
void svg_bars(FILE *fp, const char *aria, const struct str *labels, const double *values,
	      size_t n);

/*
 * Stacked columns: ncols columns (labels cols), nseries series; v[s * ncols
 * + c] is series s in column c (>= 0); series s has colour class s (the
 * caller puts "others" last, with colour SVG_SERIES - 1).
 */
void svg_stacked(FILE *fp, const char *aria, const struct str *cols, size_t ncols,
		 size_t nseries, const unsigned *colour, const double *v);

/* A line over n points (>= 0), the marked ones drawn as dots; a tick label every `every`. */
void svg_line(FILE *fp, const char *aria, const double *v, const bool *marked, size_t n,
	      const struct str *ticks, size_t every);

/*
 * A waterfall: step i moves the running total by v[i]; a `total` step is
 * drawn from 0 to v[i] and sets the running total to it. Steps are numbered
 * from 1 under the bars (the caller's table names them).
 */
void svg_waterfall(FILE *fp, const char *aria, const double *v, const bool *total, size_t n);

#endif
