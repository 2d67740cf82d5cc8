/*
 * interrupt.h - SIGINT, SIGTERM and SIGHUP: leave without a half-written
 * report.
 *
 * Pipeline: set up by pipeline.c before the workers start.
 * Until the reports are being written nothing needs undoing (the output
 * directory is untouched and the spills are unlinked), so a signal ends the
 * process at once with 128 + the signal and a message. Once writing has
 * begun, a signal only raises a flag: the writer then removes its temporary
 * files instead of renaming them, and the previous reports stay as they were.
 */
#ifndef LEDGER_INTERRUPT_H
#define LEDGER_INTERRUPT_H

#include <stdbool.h>

/* Installs the handlers. */
void interrupt_catch(void);
/* From now on a signal is a flag, not an exit. */
void interrupt_begin_writing(void);
/* A progress line is on the terminal: a signal erases it before its message. */
void interrupt_set_progress(bool on);
/* The signal that arrived while writing, or 0. */
int interrupt_pending(void);

#endif
