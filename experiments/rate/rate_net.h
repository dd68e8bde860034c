/* rate_net.h - SGD against the theorem's rate on a network, with L and sigma^2
 * estimated (see rate_net.c). */
#ifndef OB_RATE_NET_H
#define OB_RATE_NET_H

#include "experiments/rate/rate.h"
#include "nets/dataset.h"

typedef struct {
    const char *net;        /* a cross-entropy preset, e.g. "netA" */
    size_t subset;          /* training samples used (the objective's finite sum) */
    size_t batch;           /* SGD's mini-batch */
    const long *n_list;
    size_t n_count;
    int seeds;
    unsigned long seed0;    /* theta_0 and the estimates; run s uses seed0 + 1000 + s */
    int progress;           /* on stderr (common/progress.h): what is estimated, then the runs */
} ob_rate_net_config;

/* rows has n_count entries; sub describes the result (L, sigma^2 sources, estimate). */
ob_status ob_rate_net_run(const ob_rate_net_config *c, const ob_splits *data,
                          ob_rate_subject *sub, ob_rate_row *rows, ob_rate_fit *fit,
                          ob_error *err);

#endif
