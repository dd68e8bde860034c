/* contour.c - marching squares (see contour.h). */
#include "plots/contour.h"

#include <math.h>

size_t ob_contour_level(FILE *out, const double *z, int nx, int ny, double x0, double dx,
                        double y0, double dy, double level)
{
    size_t segs = 0;
    for (int i = 0; i + 1 < nx; i++)
        for (int j = 0; j + 1 < ny; j++) {
            /* corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1) */
            const int ci[4] = {i, i + 1, i + 1, i}, cj[4] = {j, j, j + 1, j + 1};
            double v[4];
            int nan = 0, above = 0;
            for (int k = 0; k < 4; k++) {
                v[k] = z[(size_t)ci[k] * (size_t)ny + (size_t)cj[k]] - level;
                nan |= isnan(v[k]);
                above += v[k] >= 0;
            }
            if (nan || above == 0 || above == 4) continue;
            double px[4], py[4]; /* the crossing on each edge k (corner k to k+1) */
            int ne = 0;
            for (int k = 0; k < 4; k++) {
                int l = (k + 1) % 4;
                if ((v[k] >= 0) == (v[l] >= 0)) continue;
                double t = v[k] / (v[k] - v[l]); /* linear interpolation along the edge */
                px[ne] = x0 + dx * (ci[k] + t * (ci[l] - ci[k]));
                py[ne] = y0 + dy * (cj[k] + t * (cj[l] - cj[k]));
                ne++;
            }
            if (ne == 2) {
                fprintf(out, "%.7g %.7g\n%.7g %.7g\n\n", px[0], py[0], px[1], py[1]);
                segs++;
            } else if (ne == 4) { /* a saddle cell: the centre's side decides the pairing */
                double c = 0.25 * (v[0] + v[1] + v[2] + v[3]);
                /* centre on corner 0's side: corners 1 and 3 are cut off, each between its
                 * two edges (0,1) and (2,3); otherwise corners 0 and 2: edges (3,0), (1,2) */
                int like0 = (c >= 0) == (v[0] >= 0);
                int a = like0 ? 0 : 3, b = like0 ? 1 : 0, c2 = like0 ? 2 : 1, d = like0 ? 3 : 2;
                fprintf(out, "%.7g %.7g\n%.7g %.7g\n\n%.7g %.7g\n%.7g %.7g\n\n", px[a], py[a],
                        px[b], py[b], px[c2], py[c2], px[d], py[d]);
                segs += 2;
            }
        }
    return segs;
}
