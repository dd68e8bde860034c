/* box.c - the plotting box fitted to the paths, and segment clipping (see box.h). */
#include "plots/box.h"

#include <math.h>

void ob_box_fit(const double box[4], const double *x, const double *y, size_t n,
                const double *star, double margin, double out[4])
{
    double reach[4];
    for (int a = 0; a < 2; a++) {
        double c = 0.5 * (box[2 * a] + box[2 * a + 1]), h = 0.5 * (box[2 * a + 1] - box[2 * a]);
        reach[2 * a] = c - OB_BOX_REACH * h, reach[2 * a + 1] = c + OB_BOX_REACH * h;
    }
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    size_t seen = 0;
    for (size_t i = 0; i <= n; i++) {
        double p[2];
        if (i < n)
            p[0] = x[i], p[1] = y[i];
        else if (star)
            p[0] = star[0], p[1] = star[1];
        else
            break;
        if (!(p[0] >= reach[0] && p[0] <= reach[1] && p[1] >= reach[2] && p[1] <= reach[3]))
            continue; /* also NaN */
        for (int a = 0; a < 2; a++) {
            if (p[a] < lo[a]) lo[a] = p[a];
            if (p[a] > hi[a]) hi[a] = p[a];
        }
        seen++;
    }
    if (seen == 0) {
        for (int k = 0; k < 4; k++) out[k] = box[k];
        return;
    }
    for (int a = 0; a < 2; a++) {
        double min_span = OB_BOX_MIN_FRAC * (box[2 * a + 1] - box[2 * a]);
        if (hi[a] - lo[a] < min_span) {
            double c = 0.5 * (lo[a] + hi[a]);
            lo[a] = c - 0.5 * min_span, hi[a] = c + 0.5 * min_span;
        }
        double span = hi[a] - lo[a];
        out[2 * a] = fmax(lo[a] - margin * span, reach[2 * a]);
        out[2 * a + 1] = fmin(hi[a] + margin * span, reach[2 * a + 1]);
    }
}

int ob_box_clip(const double box[4], double x0, double y0, double x1, double y1, double *t0,
                double *t1)
{
    double dx = x1 - x0, dy = y1 - y0;
    /* p_k t <= q_k for the four sides: -dx t <= x0 - xmin, dx t <= xmax - x0, ... */
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {x0 - box[0], box[1] - x0, y0 - box[2], box[3] - y0};
    double a = 0, b = 1;
    for (int k = 0; k < 4; k++) {
        if (p[k] == 0) {
            if (q[k] < 0) return 0; /* parallel to this side and outside it */
            continue;
        }
        double r = q[k] / p[k];
        if (p[k] < 0) {
            if (r > b) return 0;
            if (r > a) a = r;
        } else {
            if (r < a) return 0;
            if (r < b) b = r;
        }
    }
    *t0 = a, *t1 = b;
    return 1;
}
