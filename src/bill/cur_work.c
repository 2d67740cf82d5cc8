/*
 * cur_work.c - worker threads for the CUR reader: batches of rows handed out
 * in turn, each worker reading its own with a parser of its own.
 *
 * A worker's batches come to it in file order (every worker gets every n-th
 * batch), which is all its parser needs to keep physical line numbers. The
 * sums of the parsers' staging bills do not depend on which worker read
 * which row, so the bill is the same for any number of workers; and the
 * first line any worker fails on is the file's first error, because batches
 * are handed out in file order and a worker reads all of its batches up to
 * its first error. Memory: at most WORK_DEPTH batches per worker are in
 * flight, taken from a fixed pool.
 */
#include <stdlib.h>
#include <string.h>

#include "cur_row.h"
#include "ledger/support/xalloc.h"

#define MAX_WORKERS 8
#define WORK_DEPTH  2

struct worker {
	struct cur_work *w;
	pthread_t thread;
	bool running;
	struct cur_parser parser;
	struct cur_batch *head, *tail; /* its queue */
};

struct cur_work {
	pthread_mutex_t mu;
	pthread_cond_t work_cv, free_cv;
	struct worker *workers;
	int n, next;
	struct cur_batch *pool, *free_list;
	size_t npool;
	bool done;
	_Atomic unsigned long failed_line; /* 0: none */
};

static void note_failure(struct cur_work *w, unsigned long line)
{
	unsigned long seen = atomic_load(&w->failed_line);
	while ((seen == 0 || line < seen) &&
	       !atomic_compare_exchange_weak(&w->failed_line, &seen, line))
		;
}

static void *run(void *arg)
{
	struct worker *k = arg;
	struct cur_work *w = k->w;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (!k->head && !w->done)
			pthread_cond_wait(&w->work_cv, &w->mu);
		struct cur_batch *b = k->head;
		if (b) {
			k->head = b->next;
			if (!k->head)
				k->tail = NULL;
		}
		pthread_mutex_unlock(&w->mu);
		if (!b)
			return NULL;
		/* after a failure the batches are only given back */
		if (!k->parser.failed && cur_parser_feed(&k->parser, b->line, b->text, b->n) != 0)
			note_failure(w, k->parser.fail_line);
		pthread_mutex_lock(&w->mu);
		b->next = w->free_list;
		w->free_list = b;
		pthread_cond_signal(&w->free_cv);
		pthread_mutex_unlock(&w->mu);
	}
}

struct cur_work *cur_work_start(const struct cur_parser *main, int jobs)
{
	struct cur_work *w = xcalloc(1, sizeof *w);
	int n = jobs < MAX_WORKERS ? jobs : MAX_WORKERS;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work_cv, NULL);
	pthread_cond_init(&w->free_cv, NULL);
	w->workers = xcalloc((size_t)n, sizeof *w->workers);
	w->npool = (size_t)n * WORK_DEPTH + 1;
	w->pool = xcalloc(w->npool, sizeof *w->pool);
	for (size_t i = 0; i < w->npool; i++) {
		w->pool[i].next = w->free_list;
		w->free_list = &w->pool[i];
	}
	for (int i = 0; i < n; i++) {
		struct worker *k = &w->workers[i];
		k->w = w;
		cur_parser_start(&k->parser, main->cfg, main->name);
		cur_parser_take_header(&k->parser, main);
		k->running = pthread_create(&k->thread, NULL, run, k) == 0;
		if (!k->running) {
			/* fewer threads, then; with none, the caller reads alone */
			cur_parser_end(&k->parser);
			break;
		}
		w->n++;
	}
	if (w->n == 0) {
		cur_work_end(w);
		return NULL;
	}
	return w;
}

struct cur_batch *cur_work_batch(struct cur_work *w)
{
	pthread_mutex_lock(&w->mu);
	while (!w->free_list)
		pthread_cond_wait(&w->free_cv, &w->mu);
	struct cur_batch *b = w->free_list;
	w->free_list = b->next;
	pthread_mutex_unlock(&w->mu);
	b->n = 0;
	b->line = 0;
	b->next = NULL;
	return b;
}

void cur_work_submit(struct cur_work *w, struct cur_batch *b)
{
	pthread_mutex_lock(&w->mu);
	struct worker *k = &w->workers[w->next];
	w->next = (w->next + 1) % w->n;
	b->next = NULL;
	if (k->tail)
		k->tail->next = b;
	else
		k->head = b;
	k->tail = b;
	pthread_cond_broadcast(&w->work_cv);
	pthread_mutex_unlock(&w->mu);
}

unsigned long cur_work_failed_line(struct cur_work *w)
{
	return atomic_load_explicit(&w->failed_line, memory_order_relaxed);
}

int cur_work_join(struct cur_work *w)
{
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_cond_broadcast(&w->work_cv);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->n; i++) {
		if (w->workers[i].running)
			pthread_join(w->workers[i].thread, NULL);
		w->workers[i].running = false;
	}
	return w->n;
}

struct cur_parser *cur_work_parser(struct cur_work *w, int i)
{
	return &w->workers[i].parser;
}

void cur_work_end(struct cur_work *w)
{
	if (!w)
		return;
	cur_work_join(w);
	for (int i = 0; i < w->n; i++)
		cur_parser_end(&w->workers[i].parser);
	for (size_t i = 0; i < w->npool; i++)
		free(w->pool[i].text);
	free(w->pool);
	free(w->workers);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work_cv);
	pthread_cond_destroy(&w->free_cv);
	free(w);
}
