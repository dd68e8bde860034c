/* presets.h - the named networks of the course material (`optbench train --net NAME`).
 *
 * A preset fixes the hidden layers, their activation and the loss; the input and output
 * sizes come from the data set (784 and 10 on Fashion-MNIST; 2 and 2 on spirals; the
 * window task scores with 1 output), so `--net netA --dataset moons` works as expected. */
#ifndef OB_PRESETS_H
#define OB_PRESETS_H

#include "nets/mlp.h"

typedef struct {
    const char *name;
    const char *summary;                        /* shape on the default data, and the seed */
    size_t n_hidden;
    size_t hidden[OB_MLP_MAX_LAYERS - 1];
    ob_act act;
    ob_loss loss;
    double preset_dropout[OB_MLP_MAX_LAYERS - 1]; /* `--dropout preset`: the assignment's rates */
    const char *dataset;                        /* default --dataset */
} ob_net_preset;

extern const ob_net_preset *const ob_net_presets[]; /* NULL-terminated */
const ob_net_preset *ob_net_preset_find(const char *name);

/* The spec of preset p for d inputs and `classes` classes: output size 1 for the margin
 * loss, `classes` otherwise; leaky slope 0.01, no dropout, no penalty, automatic init. */
void ob_net_preset_spec(const ob_net_preset *p, size_t d, size_t classes, ob_mlp_spec *s);

#endif
