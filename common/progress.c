/* progress.c - see progress.h. */
#include "common/progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"

#define BAR_WIDTH 30
#define REDRAW_SECONDS 0.1

const char *ob_progress_hms(double s, char *buf)
{
    if (!(s >= 0)) s = 0;
    if (s > 359999) s = 359999; /* 99:59:59 */
    int t = (int)(s + 0.5);
    if (t >= 3600) snprintf(buf, 16, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, 16, "%02d:%02d", t / 60, t % 60);
    return buf;
}

static double fraction(const ob_progress *p)
{
    if (p->cost_total > 0) return p->cost_done / p->cost_total;
    return p->n_total ? (double)p->n_done / (double)p->n_total : 1;
}

static void print(ob_progress *p, int final)
{
    double el = ob_clock_now() - p->t0, f = fraction(p);
    if (f > 1) f = 1;
    char e[16], l[16];
    ob_progress_hms(el, e);
    if (p->tty) {
        int fill = (int)(BAR_WIDTH * f);
        fprintf(stderr, "\r%s [%.*s%*s] %zu/%zu %s, %s elapsed", p->label, fill,
                "##############################", BAR_WIDTH - fill, "", p->n_done, p->n_total,
                p->unit, e);
        if (final) fputc('\n', stderr);
        else if (f > 0) fprintf(stderr, ", ~%s left ", ob_progress_hms(el * (1 - f) / f, l));
    } else if (final) {
        fprintf(stderr, "%s: done, %zu %s in %s\n", p->label, p->n_done, p->unit, e);
    } else {
        fprintf(stderr, "%s: %3d%% (%zu/%zu %s), %s elapsed", p->label, (int)(100 * f),
                p->n_done, p->n_total, p->unit, e);
        if (f > 0) fprintf(stderr, ", ~%s left", ob_progress_hms(el * (1 - f) / f, l));
        fputc('\n', stderr);
    }
    fflush(stderr);
}

void ob_progress_begin(ob_progress *p, const char *label, const char *unit, size_t n,
                       double cost_total, int quiet)
{
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->unit = unit;
    p->n_total = n;
    p->cost_total = cost_total;
    p->off = quiet;
    p->tty = isatty(2);
    p->t0 = p->t_last = ob_clock_now();
    if (p->off) return;
    if (p->tty) print(p, 0);
    else {
        fprintf(stderr, "%s: %zu %s to do\n", p->label, n, unit);
        fflush(stderr);
    }
}

void ob_progress_add(ob_progress *p, size_t items, double cost)
{
    p->n_done += items;
    p->cost_done += p->cost_total > 0 ? cost : (double)items;
    if (p->off || p->n_done >= p->n_total) return; /* the end has its own line */
    double t = ob_clock_now();
    if (p->tty) {
        if (t - p->t_last < REDRAW_SECONDS) return;
    } else {
        int tenth = (int)(10 * fraction(p));
        if (tenth <= p->tenth && t - p->t_last < OB_PROGRESS_LINE_SECONDS) return;
        if (tenth > p->tenth) p->tenth = tenth;
    }
    p->t_last = t;
    print(p, 0);
}

void ob_progress_end(ob_progress *p)
{
    if (!p->off) print(p, 1);
}
