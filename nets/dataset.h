/* dataset.h - in-memory data sets for the network workloads.
 *
 * A data set is held once, as float32 features (Fashion-MNIST: 60000 x 784 floats =
 * 188 MB), whatever precision the network trains in: float64 training converts each
 * mini-batch as it gathers it, never the whole set.  Labels are class indices. */
#ifndef OB_DATASET_H
#define OB_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "common/ob.h"

typedef struct {
    size_t n;           /* samples */
    size_t d;           /* features per sample */
    size_t classes;     /* labels are 0 .. classes-1 */
    float *x;           /* (n, d) row-major, malloc'ed */
    int32_t *y;         /* (n) labels, malloc'ed */
    char name[64];      /* e.g. "fashion-mnist/train" */
} ob_dataset;

/* Frees x and y and zeroes *ds (safe on a zeroed or already freed data set). */
void ob_dataset_free(ob_dataset *ds);

/* Allocates ds->x (n, d) and ds->y (n), uninitialized, and sets n, d, classes and name
 * (truncated to 63 characters).  n = 0 is allowed (x = y = NULL).  On failure *ds is
 * zeroed and the status is OB_ENOMEM (or OB_EINVAL when n*d overflows or d = 0 < n). */
ob_status ob_dataset_alloc(ob_dataset *ds, size_t n, size_t d, size_t classes,
                           const char *name, ob_error *err);

/* Moves n_out samples of *src, chosen by a shuffle from the gsl_rng mt19937 seeded with
 * seed, into *out (named out_name); the samples left in *src keep their order and its
 * arrays shrink in place (no second copy of *src).  *out keeps *src's order as well. */
ob_status ob_dataset_hold_out(ob_dataset *src, size_t n_out, unsigned long seed,
                              ob_dataset *out, const char *out_name, ob_error *err);

/* The three splits a training run uses.  Validation is held out of the training file
 * (after a shuffle from the seed); test is the data set's own test file. */
typedef struct {
    ob_dataset train, val, test;
} ob_splits;

/* Frees the three splits and zeroes *s.  Every loader below zeroes *out first and
 * leaves it zeroed on failure, so ob_splits_free is safe after any call. */
void ob_splits_free(ob_splits *s);

/* ---- readers (nets/idx.c, nets/csvdata.c) ------------------------------------------- */

/* An IDX file (the MNIST format), gzipped or not (zlib reads both): images (magic
 * 0x00000803, u8, n x rows x cols) or labels (0x00000801, u8, n).  Header, magic,
 * dimensions and length are checked; a truncated or corrupt file is OB_EDATA with a
 * message naming the file.  Images are scaled to [0, 1]. */
ob_status ob_idx_read_images(const char *path, float **x, size_t *n, size_t *d, ob_error *err);
ob_status ob_idx_read_labels(const char *path, int32_t **y, size_t *n, ob_error *err);

/* DIR/train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...: the standard
 * MNIST names.  n_val samples of the training file (chosen by seed) become validation.
 * The plain name is tried first, then NAME.gz.  The training split keeps file order
 * (the training loop shuffles); validation too.  classes = max label + 1 over train and
 * test, the same in all three splits.  Fails (OB_EIO / OB_EDATA) naming the missing or
 * bad file; image and label counts must agree; n_val >= the training count is OB_EINVAL.
 * Peak memory is the final float32 arrays plus a 1 MiB read buffer (Fashion-MNIST: 219 MB,
 * about 0.25 s on this machine). */
#define OB_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"
/* Fashion-MNIST's split everywhere (train, bench, rate, perf): of the 60000 samples of
 * the training file, this many are held out for validation (54000 train) */
#define OB_FASHION_MNIST_VAL 6000
#define OB_FASHION_MNIST_TRAIN (60000 - OB_FASHION_MNIST_VAL)
ob_status ob_load_idx_dir(const char *dir, size_t n_val, unsigned long seed, ob_splits *out,
                          ob_error *err);

/* A CSV data set (through libcsv, common/csvread.h): feature columns then an integer
 * label column (0 .. classes-1); header optional.  Split train/val/test by fractions
 * after a seeded shuffle (n_test = round(test_frac n), n_val = round(val_frac n), each
 * split in shuffled order).  A label that is not an integer in 0 .. 999999 is OB_EDATA
 * naming the file, the data row (counted from 1, a header not counted) and the value. */
ob_status ob_load_csv_dataset(const char *path, double val_frac, double test_frac,
                              unsigned long seed, ob_splits *out, ob_error *err);

/* ---- synthetic sets (nets/synthetic.c), all from the seed ---------------------------- */

/* two interleaved spirals or two moons in 2-D (the non-linearly separable toy
 * problems), n per split, Gaussian noise of the given standard deviation */
ob_status ob_make_spirals(size_t n_train, size_t n_val, size_t n_test, double noise,
                          unsigned long seed, ob_splits *out, ob_error *err);
ob_status ob_make_moons(size_t n_train, size_t n_val, size_t n_test, double noise,
                        unsigned long seed, ob_splits *out, ob_error *err);
/* the crash-course notes' window task: 5-word windows of 4-d word vectors (input 20); label 1 for a
 * "true" window, 0 for a "corrupt" one (its centre word replaced by a random word).
 * Samples come in pairs: 2k is a true window and 2k+1 the same window corrupted, so a
 * pairwise max-margin loss max(0, 1 - s(2k) + s(2k+1)) can take them two by two (the
 * vocabulary and its topics are described in nets/synthetic.c).  In all three synthetic
 * sets labels alternate within a split, so even sizes are exactly balanced. */
ob_status ob_make_windows(size_t n_train, size_t n_val, size_t n_test, unsigned long seed,
                          ob_splits *out, ob_error *err);

/* ---- the data sets by name (nets/datasets.c) ------------------------------------------ */

/* The registry every command reads (train --dataset, landscape --dataset, rate --net, the
 * benchmark's networks, `optbench list`): a name, what it is, its sizes and defaults, and
 * its loader.  The sizes are those of the loaded set: features d, classes; the files'
 * training and test samples (0 for a synthetic set, whose training size is the samples
 * option and whose validation and test splits are a quarter of that each). */
typedef struct ob_dataset_opts ob_dataset_opts;
typedef struct {
    const char *name;
    const char *summary;    /* one line for `optbench list` (then ", noise X" and the source) */
    const char *source;     /* where it comes from, or NULL */
    size_t d, classes;
    size_t n_train, n_test; /* a file's samples (training: before validation is held out) */
    size_t samples;         /* synthetic: the default training size */
    double noise;           /* synthetic 2-D sets: the default noise; NaN: none */
    ob_status (*load)(const ob_dataset_opts *o, ob_splits *out, ob_error *err);
} ob_dataset_type;

/* A synthetic set's default training size (--samples). */
#define OB_DATASET_SAMPLES 2000

/* What a command asks of a data set (ob_dataset_defaults gives the defaults). */
struct ob_dataset_opts {
    unsigned long seed;       /* a synthetic set's draw (1) */
    unsigned long split_seed; /* the shuffle holding validation out of a training file (1) */
    size_t val;               /* files: validation samples held out (OB_FASHION_MNIST_VAL) */
    size_t samples;           /* synthetic: training size; 0: the set's default */
    double noise;             /* synthetic 2-D sets: noise; NaN: the set's default */
    size_t subset;            /* then only the first N training samples are used; 0: all */
};
ob_dataset_opts ob_dataset_defaults(void);

extern const ob_dataset_type *const ob_dataset_types[]; /* NULL-terminated */

/* The data set called name, or NULL. */
const ob_dataset_type *ob_dataset_find(const char *name);
/* The data set called name; EINVAL "OPT: unknown data set 'x' (accepted: every name)"
 * (opt: the option that named it, or NULL). */
ob_status ob_dataset_lookup(const char *opt, const char *name, const ob_dataset_type **T,
                            ob_error *err);

/* Loads T with o (its defaults where o leaves them), then keeps o->subset training samples.
 * Every loader zeroes *out first and leaves it zeroed on failure. */
ob_status ob_dataset_load(const ob_dataset_type *T, const ob_dataset_opts *o, ob_splits *out,
                          ob_error *err);
/* The same for data given by path (train --data): a directory of IDX files with the
 * MNIST names (o->val held out by o->split_seed), or a CSV (10% validation, 20% test). */
ob_status ob_dataset_load_path(const char *path, const ob_dataset_opts *o, ob_splits *out,
                               ob_error *err);

/* ---- preprocessing (nets/preprocess.c): fitted on train, applied to all splits ------- */

typedef enum {
    OB_PRE_NONE = 0,
    OB_PRE_CENTER,      /* subtract the training mean per feature */
    OB_PRE_STANDARDIZE, /* and divide by the training standard deviation (0 -> 1) */
    OB_PRE_WHITEN       /* PCA whitening: (x - mean) U diag(1/sqrt(lambda + whiten_eps)),
                           U lambda U^T the training covariance (its SVD, computed by GSL's
                           symmetric eigensolver) */
} ob_preprocess;

/* Modifies the float32 arrays in place; statistics come from s->train only.  On failure
 * the splits are untouched.  whiten_eps >= 0 is used by OB_PRE_WHITEN only. */
ob_status ob_preprocess_apply(ob_splits *s, ob_preprocess how, double whiten_eps,
                              ob_error *err);

#endif
