/* presets.c - the course material's networks (see presets.h).
 *
 * The course assignment (Deep Learning Assignment 1): the softmax classifier (784 -> 10), Network A
 * (300 ReLU + softmax), Network B (300-100 ReLU + softmax), and its deeper nets with
 * per-layer dropout "0.4 on the 800x600 weights, 0.3 on 600x400, 0.2 on 400x200, 0.1 on
 * 200x10": we read that as hidden layers 800-600-400-200 (deep5) with dropout 0.4/0.3/
 * 0.2/0.1 on their outputs, and deep4 as 600-400-200 with the assignment's "0.3/0.2/0.1".
 * The crash-course notes (Neural Network Crash Course): the window classifier, 20 inputs, 8 sigmoid units, one
 * linear score s = U^T f(Wx + b) trained with the max-margin loss. */
#include "nets/presets.h"

#include <string.h>

static const ob_net_preset softmax = {
    .name = "softmax", .summary = "784-10 softmax classifier (the course assignment)",
    .n_hidden = 0, .act = OB_ACT_RELU, .loss = OB_LOSS_XENT, .dataset = "fashion-mnist"};
static const ob_net_preset netA = {
    .name = "netA", .summary = "784-300-10, ReLU (the course assignment's Network A)",
    .n_hidden = 1, .hidden = {300}, .act = OB_ACT_RELU, .loss = OB_LOSS_XENT,
    .dataset = "fashion-mnist"};
static const ob_net_preset netB = {
    .name = "netB", .summary = "784-300-100-10, ReLU (the course assignment's Network B)",
    .n_hidden = 2, .hidden = {300, 100}, .act = OB_ACT_RELU, .loss = OB_LOSS_XENT,
    .dataset = "fashion-mnist"};
static const ob_net_preset deep4 = {
    .name = "deep4", .summary = "784-600-400-200-10, ReLU; --dropout preset: 0.3/0.2/0.1 (the course assignment)",
    .n_hidden = 3, .hidden = {600, 400, 200}, .act = OB_ACT_RELU, .loss = OB_LOSS_XENT,
    .preset_dropout = {0.3, 0.2, 0.1}, .dataset = "fashion-mnist"};
static const ob_net_preset deep5 = {
    .name = "deep5",
    .summary = "784-800-600-400-200-10, ReLU; --dropout preset: 0.4/0.3/0.2/0.1 (the course assignment)",
    .n_hidden = 4, .hidden = {800, 600, 400, 200}, .act = OB_ACT_RELU, .loss = OB_LOSS_XENT,
    .preset_dropout = {0.4, 0.3, 0.2, 0.1}, .dataset = "fashion-mnist"};
static const ob_net_preset window = {
    .name = "window", .summary = "20-8-1, sigmoid, linear score, max-margin loss (the crash-course notes)",
    .n_hidden = 1, .hidden = {8}, .act = OB_ACT_SIGMOID, .loss = OB_LOSS_MARGIN,
    .dataset = "windows"};

const ob_net_preset *const ob_net_presets[] = {&softmax, &netA, &netB, &deep4, &deep5,
                                               &window, NULL};

const ob_net_preset *ob_net_preset_find(const char *name)
{
    for (const ob_net_preset *const *p = ob_net_presets; *p; p++)
        if (strcmp((*p)->name, name) == 0) return *p;
    return NULL;
}

void ob_net_preset_spec(const ob_net_preset *p, size_t d, size_t classes, ob_mlp_spec *s)
{
    memset(s, 0, sizeof *s);
    s->n_layers = p->n_hidden + 1;
    s->sizes[0] = d;
    for (size_t l = 0; l < p->n_hidden; l++) s->sizes[l + 1] = p->hidden[l];
    s->sizes[s->n_layers] = p->loss == OB_LOSS_MARGIN ? 1 : classes;
    s->act = p->act;
    s->leaky = 0.01;
    s->loss = p->loss;
    s->init = OB_INIT_AUTO;
}
