/*
 * interrupt.c - what a signal does before and while the reports are written.
 */
#include "ledger/support/interrupt.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t pending, writing, progress;

static void on_signal(int sig)
{
	if (progress) {
		static const char clear[] = "\r\033[K";
		ssize_t w = write(STDERR_FILENO, clear, sizeof clear - 1);
		(void)w;
	}
	if (!writing) {
		static const char m[] = "bedrock-ledger: interrupted: no report written\n";
		ssize_t w = write(STDERR_FILENO, m, sizeof m - 1);
		(void)w;
		_exit(128 + sig);
	}
	pending = sig;
}

void interrupt_set_progress(bool on)
{
	progress = on;
}

void interrupt_catch(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void interrupt_begin_writing(void)
{
	writing = 1;
}

int interrupt_pending(void)
{
	return pending;
}
