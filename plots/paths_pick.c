/* paths_pick.c - which optimizers an overlaid path figure (contour, animation, 3-D view)
 * draws: a figure of sixteen paths on one surface is a tangle, so by default it shows
 * the course's classics and the workload's best few, at most OB_PICK_MAX (paths.h).  The
 * small multiples keep every optimizer, a panel each. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/path.h"
#include "common/table.h"
#include "plots/paths.h"
#include "plots/style.h"

/* gradient descent, heavy-ball momentum and Adam: the three the course builds on */
static const char *const classics[] = {"gd", "momentum", "adam"};

static int has(const char *const *v, size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(v[k], name) == 0) return 1;
    return 0;
}

typedef struct {
    const char *name;
    double rank;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    return ob_style_cmp(x->name, y->name);
}

/* the rank of each of names[0..n) on workload w (ranking_analytic.csv, else
 * ranking_net.csv): +inf when unranked (a reference method) or not found */
static size_t ranks_of(const char *dir, const char *w, const char *const *names, size_t n,
                       double *rank)
{
    size_t rows = 0;
    for (size_t k = 0; k < n; k++) rank[k] = INFINITY;
    static const char *const files[] = {"ranking_analytic.csv", "ranking_net.csv"};
    for (size_t f = 0; f < 2; f++) {
        char path[4096];
        ob_table t;
        if (ob_table_read(ob_pathf(path, sizeof path, "%s/%s", dir, files[f]), &t, NULL) != OB_OK)
            continue;
        int cw = ob_table_col(&t, "workload"), co = ob_table_col(&t, "optimizer"),
            cr = ob_table_col(&t, "rank");
        for (size_t r = 0; cw >= 0 && co >= 0 && cr >= 0 && r < t.rows; r++) {
            if (strcmp(ob_table_str(&t, r, cw), w) != 0) continue;
            rows++;
            double v = ob_table_num(&t, r, cr);
            for (size_t k = 0; k < n; k++)
                if (strcmp(names[k], ob_table_str(&t, r, co)) == 0 && isfinite(v)) rank[k] = v;
        }
        ob_table_free(&t);
    }
    return rows;
}

size_t ob_paths_pick(const char *dir, const char *w, const char *const *names, size_t n,
                     const char **out, size_t cap)
{
    if (cap > OB_PICK_MAX) cap = OB_PICK_MAX;
    size_t m = 0;
    for (size_t c = 0; c < sizeof classics / sizeof *classics && m < cap; c++)
        if (has(names, n, classics[c])) out[m++] = classics[c];
    ranked *r = malloc((n + 1) * sizeof *r);
    double *rank = malloc((n + 1) * sizeof *rank);
    size_t rows = 0;
    if (r && rank) {
        rows = ranks_of(dir, w, names, n, rank);
        size_t nr = 0;
        for (size_t k = 0; k < n; k++)
            if (!has(out, m, names[k]) && isfinite(rank[k]))
                r[nr++] = (ranked){names[k], rank[k]};
        qsort(r, nr, sizeof *r, cmp_ranked);
        for (size_t k = 0; k < nr && m < cap; k++) out[m++] = r[k].name;
    }
    free(r);
    free(rank);
    /* no ranking of w (a directory without tables): the canonical order fills up */
    for (size_t k = 0; rows == 0 && k < n && m < cap; k++)
        if (!has(out, m, names[k])) out[m++] = names[k];
    ob_style_sort(out, m);
    return m;
}
