/* fig_landscape.h - the figures of `optbench landscape`, drawn from its CSVs alone
 * (interp.csv, surface.csv, path.csv, summary.csv of one directory; docs/contracts.md). */
#ifndef OB_FIG_LANDSCAPE_H
#define OB_FIG_LANDSCAPE_H

#include "common/ob.h"

/* Loss (log scale) and accuracy along the interpolation a in the file's range, one colour
 * per optimizer, training subset solid and test subset dashed, a = 0 and a = 1 marked. */
ob_status ob_plot_landscape_interp(const char *ldir, const char *png, const char *title,
                                   ob_error *err);

/* One panel per optimizer: log10 of the loss over the slice `plane` ("pca" or "random") as
 * a shaded map with contour lines; on "pca" the projected path (circle: theta_0, star:
 * theta_T) and the directions' shares of the squared offsets in the axis labels. */
ob_status ob_plot_landscape_plane(const char *ldir, const char *plane, const char *png,
                                  const char *title, ob_error *err);

/* interp.png, pca.png and random.png in ldir, titled after the network. */
ob_status ob_landscape_figures(const char *ldir, const char *net, ob_error *err);

/* The recipes of the benchmark's report (plots/registry.c): the same figures for network
 * workload W of results directory dir, from dir/landscape/W/ (bench/bench_landscape.c). */
ob_status ob_plot_landscape_interp_w(const char *dir, const char *w, const char *png, ob_error *err);
ob_status ob_plot_landscape_pca_w(const char *dir, const char *w, const char *png, ob_error *err);
ob_status ob_plot_landscape_random_w(const char *dir, const char *w, const char *png,
                                     ob_error *err);
/* The workloads W with dir/landscape/W/summary.csv, sorted; returns how many (<= cap). */
size_t ob_landscape_workloads(const char *dir, char (*out)[160], size_t cap);

/* The benchmark's cheap landscape (bench/interp.h): for network workload W of results
 * directory dir, the interpolation panels above over every optimizer's
 * runs/W/O/seed-1.interp.csv; an optimizer whose seed-1 run has no such file is named in
 * the title with the reason (its run diverged, or the file is missing).  applies: 1 when
 * at least one of W's seed-1 runs has the file. */
ob_status ob_plot_net_interp(const char *dir, const char *w, const char *png, ob_error *err);
int ob_net_interp_applies(const char *dir, const char *w);

#endif
