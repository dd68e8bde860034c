/* progress.h - progress of long work on stderr, for every long command (bench, train,
 * rate).  On a terminal: one bar redrawn in place.  Elsewhere (a log file, nohup, a
 * Slurm job, `| tee`): plain lines, one when a phase starts, then one each time another
 * tenth of the work is done or 30 s have passed, and one at the end, each with the
 * elapsed time and an estimate of the time left.  Work is counted in items (runs,
 * batches) and weighed by cost, so that the estimate of a phase that mixes cheap and
 * expensive items (a network run costs about as much as a thousand analytic ones) is
 * not thrown off by the order in which they finish. */
#ifndef OB_PROGRESS_H
#define OB_PROGRESS_H

#include <stddef.h>

#define OB_PROGRESS_LINE_SECONDS 30.0 /* a plain line at least this often */

typedef struct {
    char label[64];      /* "bench: tuning" */
    const char *unit;    /* "runs" */
    size_t n_total, n_done;
    double cost_total, cost_done;
    double t0, t_last;   /* start, last line or redraw */
    int tenth;           /* tenths reported so far (plain lines) */
    int tty;             /* stderr is a terminal: the bar */
    int off;             /* nothing at all (--quiet) */
} ob_progress;

/* Starts a phase of n items costing cost_total together (cost_total <= 0: one per item)
 * and prints its first line (plain mode) or an empty bar. */
void ob_progress_begin(ob_progress *p, const char *label, const char *unit, size_t n,
                       double cost_total, int quiet);
/* items more done, costing cost together; prints when a line or a redraw is due */
void ob_progress_add(ob_progress *p, size_t items, double cost);
/* the closing line, with the phase's total time */
void ob_progress_end(ob_progress *p);

/* Seconds as "mm:ss", or "h:mm:ss" from an hour on, into buf (at least 16 bytes). */
const char *ob_progress_hms(double seconds, char *buf);

#endif
