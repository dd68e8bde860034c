/* mlp.h - multi-layer perceptrons: dense layers, activations, losses, regularizers.
 *
 * A network is a stack of dense layers y = f(x W^T + b) on mini-batches stored row-major,
 * x (B, in), W (out, in) as PyTorch stores nn.Linear, so every product is one large GEMM
 * (sgemm in float32, dgemm in float64, OpenBLAS through GSL's CBLAS interface).  All
 * weights and biases live in one contiguous buffer `params` (and their gradients in
 * `grads`, same layout), so an optimizer updates the whole network as one flat vector
 * with ob_optimizer_step().
 *
 * Each layer, activation and loss is written once (nets/mlp_kernels.h) and compiled for
 * float and for double; the network trains in float32 by default, as PyTorch does, or
 * in float64.
 *
 * Threads: the GEMMs are split into fixed blocks run by OpenMP threads, so results do not
 * depend on the number of threads, provided OpenBLAS itself runs on one thread (ob_train
 * sets that; callers that use these functions directly should call
 * openblas_set_num_threads(1) for thread-count-independent bits).
 *
 * Layer order in params:  W_0 (out_0, in_0), b_0 (out_0), W_1, b_1, ...
 * Hidden layers share one activation; the last layer is linear (its outputs are the
 * logits or scores the loss reads).  Dropout (inverted: kept units are scaled by
 * 1/(1-p) in training, nothing changes at evaluation) acts on hidden layer outputs. */
#ifndef OB_MLP_H
#define OB_MLP_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ob.h"

#define OB_MLP_MAX_LAYERS 8 /* dense layers, hidden ones plus the output layer */

/* Activations of the hidden layers (the crash-course notes' list), each with its derivative written
 * through the output y = f(x), so the pre-activation never has to be kept. */
typedef enum {
    OB_ACT_IDENTITY = 0, /* f(x) = x */
    OB_ACT_SIGMOID,      /* f(x) = 1/(1+exp(-x)),          f' = y(1-y) */
    OB_ACT_TANH,         /* f(x) = tanh(x),                f' = 1-y^2 */
    OB_ACT_HARDTANH,     /* f(x) = max(-1, min(1, x)),     f' = 1 if |x| < 1 else 0 */
    OB_ACT_SOFTSIGN,     /* f(x) = x/(1+|x|),              f' = 1/(1+|x|)^2 = (1-|y|)^2 */
    OB_ACT_RELU,         /* f(x) = max(0, x),              f' = 1 if x > 0 else 0 */
    OB_ACT_LEAKY_RELU,   /* f(x) = x if x > 0 else a*x,    f' = 1 or a (a = leaky, > 0) */
} ob_act;

typedef enum {
    OB_LOSS_XENT = 0, /* softmax + cross-entropy: mean_b [logsumexp(z_b) - z_b,y_b] */
    OB_LOSS_MSE,      /* mean over B*K of (z - t)^2, t one-hot (K > 1) or the label (K = 1),
                         as torch.nn.MSELoss on the linear outputs */
    OB_LOSS_MARGIN,   /* the crash-course notes' max-margin loss on a linear score s (K = 1): the mean
                         over every (true i, corrupt j) pair of the batch of
                         max(0, 1 + s_j - s_i) (true: label 1, corrupt: label 0) */
} ob_loss;

typedef enum {
    OB_INIT_AUTO = 0, /* He for (leaky) ReLU hidden layers, Xavier otherwise */
    OB_INIT_XAVIER,   /* Glorot uniform: U(-a, a), a = sqrt(6/(fan_in + fan_out)) */
    OB_INIT_HE,       /* He normal: N(0, 2/fan_in) */
} ob_init;

typedef struct {
    size_t n_layers;                       /* dense layers, 1 .. OB_MLP_MAX_LAYERS */
    size_t sizes[OB_MLP_MAX_LAYERS + 1];   /* sizes[0] inputs, sizes[n_layers] outputs */
    ob_act act;                            /* of every hidden layer */
    double leaky;                          /* slope of leaky ReLU for x < 0 (0.01) */
    double dropout[OB_MLP_MAX_LAYERS];     /* dropout[l] on hidden layer l's output, [0,1) */
    ob_loss loss;
    ob_init init;
    double l1, l2;  /* penalty l1*sum|W| + (l2/2)*sum W^2 over weights (not biases) */
} ob_mlp_spec;

/* Checks sizes, rates and that the loss fits the output size (margin: 1 output). */
ob_status ob_mlp_spec_check(const ob_mlp_spec *s, ob_error *err);

typedef struct {
    ob_mlp_spec spec;
    ob_dtype dtype;
    size_t max_batch;            /* rows the activation buffers hold */
    size_t n_params;
    void *params;                /* (n_params) W_0, b_0, W_1, b_1, ... */
    void *grads;                 /* (n_params) same layout */
    size_t w_off[OB_MLP_MAX_LAYERS], b_off[OB_MLP_MAX_LAYERS]; /* element offsets */
    /* activations, in dtype: y[0] is the input batch (B, sizes[0]); y[l+1] the output of
     * layer l (B, sizes[l+1]).  When hidden layer l has dropout, yd[l+1] (B, sizes[l+1])
     * = y[l+1] * mask[l+1] is what the next layer reads in training; yd and mask are NULL
     * for layers without dropout. */
    void *y[OB_MLP_MAX_LAYERS + 1];
    void *yd[OB_MLP_MAX_LAYERS + 1];
    void *mask[OB_MLP_MAX_LAYERS + 1];   /* (B, sizes[l]) 0 or 1/(1-p) */
    void *dbuf[2];                       /* (B, max width) activation gradients, ping-pong */
    int dropout_on;                      /* the last forward pass applied dropout */
    void *mem;                           /* the one allocation behind all buffers above */
    void *pmem;                          /* params and grads */
} ob_mlp;

ob_status ob_mlp_alloc(ob_mlp *m, const ob_mlp_spec *spec, ob_dtype dtype, size_t max_batch,
                       ob_error *err);
void ob_mlp_free(ob_mlp *m);

/* Weights drawn from r (Xavier or He, see ob_init), biases 0. */
void ob_mlp_init(ob_mlp *m, gsl_rng *r);

/* Parameter i as a double / set it (tests, gradient checks). */
double ob_mlp_param(const ob_mlp *m, size_t i);
void ob_mlp_set_param(ob_mlp *m, size_t i, double v);
double ob_mlp_grad(const ob_mlp *m, size_t i);

/* Copies rows idx[0..B) of x (n, d) float32 into the input buffer y[0], converting to
 * the network's precision; idx NULL means rows 0..B. */
void ob_mlp_gather(ob_mlp *m, const float *x, size_t d, const size_t *idx, size_t B);

/* Forward pass on the B rows of y[0].  drop_rng non-NULL: training mode, dropout masks
 * drawn from it (inverted dropout); NULL: evaluation, no dropout. */
void ob_mlp_forward(ob_mlp *m, size_t B, gsl_rng *drop_rng);

/* The loss of the last forward pass against labels y (B): returns the mean data loss
 * (no penalty) and adds the number of correct predictions to *correct (argmax for
 * xent/mse with K > 1; z > 0.5 for mse with K = 1; for margin, *correct gets the pairs
 * ranked right and *pairs the pairs).  want_grad: also writes d(loss)/d(logits) for
 * ob_mlp_backward.  correct and pairs may be NULL. */
double ob_mlp_loss(ob_mlp *m, size_t B, const int32_t *y, int want_grad, double *correct,
                   double *pairs);

/* The max-margin loss and ranking accuracy of scores s (n) over all (true, corrupt)
 * pairs, in double: used to evaluate a whole split at once. */
double ob_margin_eval(const double *s, const int32_t *y, size_t n, double *correct,
                      double *pairs);

/* The output of the last forward pass (B, sizes[n_layers]), element b*K+k, as a double. */
double ob_mlp_output(const ob_mlp *m, size_t b, size_t k);

void ob_mlp_zero_grad(ob_mlp *m);

/* Backward pass after ob_mlp_loss(..., want_grad = 1): ACCUMULATES the gradient of the
 * mean loss plus the penalty into grads (llm.c style: zero_grad once, then backward).
 * The input layer's input gradient is never computed. */
void ob_mlp_backward(ob_mlp *m, size_t B);

/* The two halves of ob_mlp_backward, for a batch larger than the buffers (full-batch gd):
 * backward_data accumulates scale * the gradient of the chunk's mean loss (scale = the
 * chunk's share of the batch), penalty_backward adds the penalty's gradient once. */
void ob_mlp_backward_data(ob_mlp *m, size_t B, double scale);
void ob_mlp_penalty_backward(ob_mlp *m);

/* l1*sum|W| + (l2/2)*sum W^2 (0 when both are 0). */
double ob_mlp_penalty(const ob_mlp *m);

const char *ob_act_name(ob_act a);
/* y = f(x) and dy = f'(x) elementwise (n), through the same kernels as the layers. */
void ob_act_eval(ob_act a, double leaky, const double *x, double *y, double *dy, size_t n);
ob_status ob_act_parse(const char *s, ob_act *a, ob_error *err);
const char *ob_loss_name(ob_loss l);
ob_status ob_loss_parse(const char *s, ob_loss *l, ob_error *err);

#endif
