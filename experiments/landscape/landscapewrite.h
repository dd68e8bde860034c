/* landscapewrite.h - the files of `optbench landscape` (docs/contracts.md "Loss-landscape
 * files"): interp.csv, surface.csv, path.csv, summary.csv and landscape.md in one
 * directory, each written atomically (common/outfile.h). */
#ifndef OB_LANDSCAPEWRITE_H
#define OB_LANDSCAPEWRITE_H

#include <stdio.h>

#include "nets/landscape.h"

#define OB_LANDSCAPE_MAX_OPT 16

typedef struct {
    const char *dir, *net;
    size_t n_opt;
    const ob_optimizer_type *T[OB_LANDSCAPE_MAX_OPT];
    ob_hparams h[OB_LANDSCAPE_MAX_OPT];
    const ob_landscape_result *res[OB_LANDSCAPE_MAX_OPT]; /* a diverged run: arrays NULL */
    const double *alpha;
    size_t n_alpha, grid;
    long epochs, every, dir_seed;
    size_t eval, train_n;        /* evaluation subset, training samples */
} ob_landscape_files;

/* Writes the four CSVs and landscape.md into f->dir (created), all or none. */
ob_status ob_landscape_write(const ob_landscape_files *f, ob_error *err);

/* One line per optimizer: final loss, principal directions' shares, monotone or not
 * (or that it diverged). */
void ob_landscape_print(const ob_landscape_files *f, FILE *out);

/* 1 when the training loss on the evaluation subset never rises along the
 * interpolation's points with 0 <= a <= 1 (Goodfellow et al. 2015's observation). */
int ob_landscape_monotone(const ob_landscape_files *f, size_t k);

#endif
