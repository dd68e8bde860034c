/* paths.c - surfaces and optimizer paths for the 2-D figures (see paths.h). */
#include "plots/paths.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/table.h"
#include "plots/box.h"
#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/style.h"
#include "problems/problem_opts.h"
#include "runs/runfile.h"


ob_status ob_path_read(const char *csv, ob_path *p, ob_error *err)
{
    memset(p, 0, sizeof *p);
    p->seed = -1;
    ob_table t;
    ob_status s = ob_table_read(csv, &t, err);
    if (s != OB_OK) return s;
    int c1 = ob_table_col(&t, "x1"), c2 = ob_table_col(&t, "x2");
    int cs = ob_table_col(&t, "step"), cl = ob_table_col(&t, "loss");
    if (c1 < 0 || c2 < 0 || ob_table_col(&t, "x3") >= 0)
        s = ob_fail(err, OB_EDATA, "%s: not a 2-D run (the columns x1, x2 and no x3)", csv);
    else if (t.rows == 0)
        s = ob_fail(err, OB_EDATA, "%s: no rows", csv);
    else if (!(p->x = malloc(4 * t.rows * sizeof *p->x)))
        s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) {
        p->n = t.rows;
        p->y = p->x + t.rows, p->step = p->y + t.rows, p->loss = p->step + t.rows;
        for (size_t i = 0; i < t.rows; i++) {
            p->x[i] = ob_table_num(&t, i, c1);
            p->y[i] = ob_table_num(&t, i, c2);
            p->step[i] = cs >= 0 ? ob_table_num(&t, i, cs) : (double)i;
            p->loss[i] = ob_table_num(&t, i, cl);
        }
    }
    ob_table_free(&t);
    return s;
}

ob_status ob_paths_add(ob_paths *ps, ob_path *p, ob_error *err)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 16;
        ob_path *v = realloc(ps->v, cap * sizeof *v);
        if (!v) return ob_fail(err, OB_ENOMEM, "out of memory");
        ps->v = v, ps->cap = cap;
    }
    ps->v[ps->n++] = *p;
    memset(p, 0, sizeof *p);
    return OB_OK;
}

void ob_paths_free(ob_paths *ps)
{
    for (size_t i = 0; i < ps->n; i++) free(ps->v[i].x);
    free(ps->v);
    memset(ps, 0, sizeof *ps);
}

/* ---- the surface ---- */

ob_status ob_surface_from_problem(ob_surface *s, const char *problem, const char *popts,
                                  ob_error *err)
{
    memset(s, 0, sizeof *s);
    s->fstar = NAN;
    const ob_problem_type *T = ob_problem_find(problem);
    if (!T) return ob_fail(err, OB_EDATA, "unknown problem '%s'", problem ? problem : "");
    ob_problem_opts o = {0};
    char store[1024];
    ob_status st = OB_OK;
    if (popts && *popts) st = ob_problem_opts_parse(T, popts, &o, store, sizeof store, err);
    if (st == OB_OK) st = ob_problem_create(&s->prob, T, &o, err);
    if (st != OB_OK) return st;
    s->has_prob = 1;
    if (s->prob.dim != 2 || !s->prob.has_box) {
        ob_surface_free(s);
        return ob_fail(err, OB_EDATA, "%s is not a 2-D problem with a plotting box", problem);
    }
    snprintf(s->name, sizeof s->name, "%s", problem);
    memcpy(s->pbox, s->prob.box, sizeof s->pbox);
    memcpy(s->box, s->prob.box, sizeof s->box);
    if (s->prob.x_star) s->star[0] = s->prob.x_star[0], s->star[1] = s->prob.x_star[1], s->has_star = 1;
    if (s->prob.f_star_kind != OB_FSTAR_UNKNOWN) s->fstar = s->prob.f_star;
    return OB_OK;
}

/* problem and problem_options of the first summary of a run runs/W/OPT/seed-S */
static int problem_of_runs(const char *dir, const char *w, char *prob, size_t pcap, char *po,
                           size_t ocap)
{
    char path[4096];
    DIR *d = opendir(ob_pathf(path, sizeof path, "%s/runs/%s", dir, w));
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char pair[4400], stem[32];
        ob_table t;
        ob_pathf(pair, sizeof pair, "%s/%s", path, e->d_name);
        for (int seed = 0; seed <= 2 && !found; seed++) {
            snprintf(stem, sizeof stem, "seed-%d", seed);
            if (ob_run_summary_read(pair, stem, &t, NULL) != OB_OK) continue;
            int pc = ob_table_col(&t, "problem"), oc = ob_table_col(&t, "problem_options");
            if (pc >= 0 && t.rows > 0) {
                snprintf(prob, pcap, "%s", ob_table_str(&t, 0, pc));
                snprintf(po, ocap, "%s", ob_table_str(&t, 0, oc));
                found = 1;
            }
            ob_table_free(&t);
        }
    }
    if (d) closedir(d);
    return found;
}

static ob_status stored_grid(ob_surface *s, const char *dir, const char *w, ob_error *err)
{
    char path[4096];
    ob_table t;
    ob_pathf(path, sizeof path, "%s/surfaces/%s.csv", dir, w);
    ob_status st = ob_table_read(path, &t, err);
    if (st != OB_OK) return st;
    const char *gn[] = {"x", "y", "f"};
    int gc[3];
    st = ob_need_cols(&t, path, gn, gc, 3, err);
    if (st == OB_OK && t.rows < 4) st = ob_fail(err, OB_EDATA, "%s: too few grid points", path);
    if (st == OB_OK && !(s->gx = malloc(3 * t.rows * sizeof *s->gx)))
        st = ob_fail(err, OB_ENOMEM, "out of memory");
    if (st == OB_OK) {
        s->gn = t.rows;
        s->gy = s->gx + t.rows, s->gf = s->gy + t.rows;
        for (size_t i = 0; i < t.rows; i++) {
            s->gx[i] = ob_table_num(&t, i, gc[0]);
            s->gy[i] = ob_table_num(&t, i, gc[1]);
            s->gf[i] = ob_table_num(&t, i, gc[2]);
        }
    }
    ob_table_free(&t);
    return st;
}

ob_status ob_surface_from_results(ob_surface *s, const char *dir, const char *w, ob_error *err)
{
    memset(s, 0, sizeof *s);
    char path[4096], prob[160] = "", po[1024] = "";
    ob_table m;
    ob_pathf(path, sizeof path, "%s/surfaces/%s.meta.csv", dir, w);
    ob_status st = ob_table_read(path, &m, err);
    if (st != OB_OK) return st;
    const char *mn[] = {"xmin", "xmax", "ymin", "ymax", "xstar", "ystar", "fstar"};
    int mc[7];
    st = ob_need_cols(&m, path, mn, mc, 7, err);
    if (st == OB_OK && m.rows < 1) st = ob_fail(err, OB_EDATA, "%s: no data row", path);
    double meta[7];
    for (int k = 0; st == OB_OK && k < 7; k++) meta[k] = ob_table_num(&m, 0, mc[k]);
    if (st == OB_OK) {
        snprintf(prob, sizeof prob, "%s", ob_table_str(&m, 0, ob_table_col(&m, "problem")));
        snprintf(po, sizeof po, "%s", ob_table_str(&m, 0, ob_table_col(&m, "problem_options")));
    }
    ob_table_free(&m);
    if (st != OB_OK) return st;
    if (!*prob) problem_of_runs(dir, w, prob, sizeof prob, po, sizeof po);
    if (*prob && ob_surface_from_problem(s, prob, po, NULL) == OB_OK &&
        memcmp(s->pbox, meta, sizeof s->pbox) == 0) {
        snprintf(s->name, sizeof s->name, "%s", w);
        return OB_OK;
    }
    if (s->has_prob) ob_surface_free(s);
    /* the stored grid: the figure stays within its box */
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", w);
    memcpy(s->pbox, meta, sizeof s->pbox);
    memcpy(s->box, meta, sizeof s->box);
    s->star[0] = meta[4], s->star[1] = meta[5];
    s->has_star = isfinite(meta[4]) && isfinite(meta[5]);
    s->fstar = meta[6];
    if (!(s->pbox[0] < s->pbox[1] && s->pbox[2] < s->pbox[3]))
        return ob_fail(err, OB_EDATA, "%s: the box must have xmin < xmax and ymin < ymax", path);
    return stored_grid(s, dir, w, err);
}

/* 1 when (x, y) lies in box */
static int in_box(const double box[4], double x, double y)
{
    return x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
}

void ob_surface_fit(ob_surface *s, const ob_paths *ps, int every)
{
    size_t n = 0;
    for (size_t k = 0; k < ps->n; k++) n += ps->v[k].n;
    double *x = malloc((2 * n + 1) * sizeof *x), *y = x ? x + n : NULL;
    if (!x) return; /* the problem's box */
    n = 0;
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        if (p->n == 0) continue;
        x[n] = p->x[0], y[n++] = p->y[0]; /* every start */
        if (!(every || p->highlight)) continue;
        /* the path's points inside the problem's box, and where it ends: a run that flies
         * off (a diverging seed, a tuned rate that overshoots) does not set the box */
        size_t last = p->n;
        while (last > 0 && !(isfinite(p->x[last - 1]) && isfinite(p->y[last - 1]))) last--;
        for (size_t i = 1; i < last; i++)
            if (in_box(s->pbox, p->x[i], p->y[i]) || i + 1 == last)
                x[n] = p->x[i], y[n++] = p->y[i];
    }
    ob_box_fit(s->pbox, x, y, n, s->has_star ? s->star : NULL, OB_BOX_MARGIN, s->box);
    free(x);
    if (!s->has_prob) /* nothing to draw beyond the stored grid */
        for (int a = 0; a < 2; a++) {
            s->box[2 * a] = fmax(s->box[2 * a], s->pbox[2 * a]);
            s->box[2 * a + 1] = fmin(s->box[2 * a + 1], s->pbox[2 * a + 1]);
        }
}

void ob_surface_box_option(ob_surface *s)
{
    const ob_fig_options *o = ob_fig_options_get();
    if (!o->has_box) return;
    s->box[0] = o->x0, s->box[1] = o->x1, s->box[2] = o->y0, s->box[3] = o->y1;
}

void ob_surface_free(ob_surface *s)
{
    if (s->has_prob) ob_problem_free(&s->prob);
    free(s->gx);
    memset(s, 0, sizeof *s);
}
