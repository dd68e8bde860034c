/* stability.h - the edge-of-stability experiment (`optbench stability`): full-batch
 * gradient descent on a fixed Fashion-MNIST subset at three learning rates, heavy-ball
 * momentum and Adam at one each, logging the sharpness against each rule's stability
 * threshold (Cohen et al., ICLR 2021, arXiv 2103.00065, Fig. 1; Adam's preconditioned
 * sharpness: Cohen et al. 2022, arXiv 2207.14484), and gradient descent on the
 * ill-conditioned quadratic just below and just above 2/kappa, where the sharpness is
 * exactly kappa.  Writes under out/:
 *   runs/NAME.csv (+ .steps.csv, .summary.csv)   the network runs (training CSV, step log)
 *   quadratic/NAME.csv (+ .summary.csv)         the quadratic runs (trajectory CSV)
 *   stability.csv, stability.md                 the table: per run the median ratio
 *                                               sharpness/threshold over its second half
 *   stability.png                               the figure (ob_plot_stability, plots/) */
#ifndef OB_STABILITY_H
#define OB_STABILITY_H

#include <stddef.h>

#include "common/ob.h"

typedef struct {
    const char *out;         /* the results directory */
    long steps;              /* network updates (full batch: one per epoch) */
    size_t subset;           /* the first N Fashion-MNIST training samples */
    size_t hidden;           /* the MLP's hidden units (784-H-H-10, tanh, cross-entropy) */
    long sharpness_every;    /* an estimate every K updates */
    long quad_steps;         /* the quadratic runs' steps */
    unsigned long seed;      /* the network's initialization */
    const char *data;        /* the IDX directory (Fashion-MNIST) */
    int progress;            /* a line per run on stderr */
} ob_stability_config;

/* The defaults (minutes on 2 cores), or with smoke the seconds-long version the tests run. */
void ob_stability_defaults(ob_stability_config *c, int smoke);

/* Runs the experiment and writes its files; OB_EINVAL for bad settings (with a message),
 * OB_EIO when the data or a file cannot be read or written. */
ob_status ob_stability_run(const ob_stability_config *c, ob_error *err);

/* figure.c: the experiment's figure (its recipe "stability") into png from the directory
 * dir that ob_stability_run wrote: from stability.csv and the run files it names, the
 * network runs' sharpness and thresholds with their loss beneath, beside the quadratic's
 * two runs (workload: unused, NULL). */
ob_status ob_plot_stability(const char *dir, const char *workload, const char *png,
                            ob_error *err);

#endif
