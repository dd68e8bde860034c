/* synthetic.c - toy classification sets generated from a seed: two spirals, two moons
 * (non-linearly separable problems, as in the Mathematics of Data lecture) and the
 * crash-course notes' word-window task.
 *
 * Everything comes from one gsl_rng mt19937 seeded with the seed, drawn in a fixed order
 * (train, then val, then test; the window vocabulary before any window), so the same seed
 * gives the same numbers on every machine.  (GSL maps seed 0 to mt19937's default seed
 * 4357, so seeds 0 and 4357 give the same sets.)  Classes alternate 0, 1, 0, 1, ... within
 * each split, so a split of even size is exactly balanced; the training loop shuffles. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "nets/dataset.h"

#define PI 3.14159265358979323846 /* M_PI is not in strict C11 */

/* A generator fills one sample (x[0..d-1], *y) for the wanted class y0; ctx is its data. */
typedef void (*sample_fn)(gsl_rng *rng, double noise, void *ctx, int y0, float *x);

/* Two interleaved spirals (K. Lang and M. Witbrock, "Learning to tell two spirals apart",
 * 1988): t = sqrt(u) * 3 pi with u ~ U(0,1) (uniform along the arc's area), radius
 * t / (3 pi) in [0, 1], angle t + pi*y, plus N(0, noise^2) on each coordinate. */
static void spiral(gsl_rng *rng, double noise, void *ctx, int y, float *x)
{
    (void)ctx;
    double t = sqrt(gsl_rng_uniform(rng)) * 3.0 * PI, r = t / (3.0 * PI);
    x[0] = (float)(r * cos(t + PI * y) + gsl_ran_gaussian(rng, noise));
    x[1] = (float)(r * sin(t + PI * y) + gsl_ran_gaussian(rng, noise));
}

/* Two moons as in scikit-learn's make_moons: class 0 on (cos a, sin a), class 1 on
 * (1 - cos a, 1/2 - sin a), a ~ U(0, pi), plus N(0, noise^2) on each coordinate. */
static void moon(gsl_rng *rng, double noise, void *ctx, int y, float *x)
{
    (void)ctx;
    double a = gsl_rng_uniform(rng) * PI;
    double u = y ? 1.0 - cos(a) : cos(a), v = y ? 0.5 - sin(a) : sin(a);
    x[0] = (float)(u + gsl_ran_gaussian(rng, noise));
    x[1] = (float)(v + gsl_ran_gaussian(rng, noise));
}

/* ---- the crash-course notes' window task --------------------------------------------------
 * Collobert & Weston style ("Natural language processing (almost) from scratch", 2011):
 * a window of WIN words, each a WDIM-d vector from a vocabulary embedding, is scored; a
 * "true" window is one the language produces, a "corrupt" one has its centre word
 * replaced by a random word.  Our language: the vocabulary of VOCAB words falls into
 * TOPICS topics of equal size; a true window draws its topic uniformly, then its WIN words
 * uniformly from that topic; the corrupt window replaces the centre word by a word drawn
 * uniformly from the other topics (never from the window's own, so labels are clean).
 * Embedding: topic centres c ~ N(0, I), word vectors c_topic + WSPREAD * N(0, I), so the
 * task is to tell whether the centre vector sits in the neighbours' cluster.
 * Samples come in pairs: sample 2k is a true window (label 1), sample 2k+1 (label 0) is
 * the same window with its centre replaced, for a pairwise max-margin loss. */
#define WIN 5
#define WDIM 4
#define VOCAB 60
#define TOPICS 4
#define WSPREAD 0.25

typedef struct {
    double emb[VOCAB][WDIM];
    int last[WIN]; /* the last true window's words: its corrupt twin reuses them */
} vocab;

static void window(gsl_rng *rng, double noise, void *ctx, int y, float *x)
{
    (void)noise;
    vocab *v = ctx; /* v->last is scratch: the words a pair shares */
    const int per = VOCAB / TOPICS;
    if (y == 1) { /* a true window: one topic, WIN words from it */
        int topic = (int)gsl_rng_uniform_int(rng, TOPICS);
        for (int k = 0; k < WIN; k++)
            v->last[k] = topic * per + (int)gsl_rng_uniform_int(rng, per);
    } else { /* the corrupt twin: centre word from another topic */
        int topic = v->last[0] / per;
        int other = (topic + 1 + (int)gsl_rng_uniform_int(rng, TOPICS - 1)) % TOPICS;
        v->last[WIN / 2] = other * per + (int)gsl_rng_uniform_int(rng, per);
    }
    for (int k = 0; k < WIN; k++)
        for (int j = 0; j < WDIM; j++) x[k * WDIM + j] = (float)v->emb[v->last[k]][j];
}

/* Fills the three splits with n samples each of d features from fn; labels alternate,
 * starting at first_label (1 for windows, so a true window precedes its twin). */
static ob_status generate(const char *tag, size_t d, const size_t n[3], double noise,
                          sample_fn fn, void *ctx, int first_label, gsl_rng *rng,
                          ob_splits *out, ob_error *err)
{
    static const char *split[3] = {"train", "val", "test"};
    ob_dataset *ds[3] = {&out->train, &out->val, &out->test};
    for (int s = 0; s < 3; s++) {
        char name[64];
        snprintf(name, sizeof name, "%s/%s", tag, split[s]);
        ob_status st = ob_dataset_alloc(ds[s], n[s], d, 2, name, err);
        if (st != OB_OK) {
            ob_splits_free(out);
            return st;
        }
        for (size_t i = 0; i < n[s]; i++) {
            int y = (int)((i + (size_t)first_label) % 2);
            fn(rng, noise, ctx, y, ds[s]->x + i * d);
            ds[s]->y[i] = y;
        }
    }
    return OB_OK;
}

static ob_status make_2d(const char *tag, sample_fn fn, size_t n_train, size_t n_val,
                         size_t n_test, double noise, unsigned long seed, ob_splits *out,
                         ob_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(noise >= 0 && isfinite(noise)))
        return ob_fail(err, OB_EINVAL, "%s: noise must be a finite number >= 0, got %g", tag,
                       noise);
    if (n_train == 0)
        return ob_fail(err, OB_EINVAL, "%s: the training split needs at least 1 sample", tag);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) return ob_fail(err, OB_ENOMEM, "%s: out of memory", tag);
    gsl_rng_set(rng, seed);
    const size_t n[3] = {n_train, n_val, n_test};
    ob_status st = generate(tag, 2, n, noise, fn, NULL, 0, rng, out, err);
    gsl_rng_free(rng);
    return st;
}

ob_status ob_make_spirals(size_t n_train, size_t n_val, size_t n_test, double noise,
                          unsigned long seed, ob_splits *out, ob_error *err)
{
    return make_2d("spirals", spiral, n_train, n_val, n_test, noise, seed, out, err);
}

ob_status ob_make_moons(size_t n_train, size_t n_val, size_t n_test, double noise,
                        unsigned long seed, ob_splits *out, ob_error *err)
{
    return make_2d("moons", moon, n_train, n_val, n_test, noise, seed, out, err);
}

ob_status ob_make_windows(size_t n_train, size_t n_val, size_t n_test, unsigned long seed,
                          ob_splits *out, ob_error *err)
{
    memset(out, 0, sizeof *out);
    if (n_train == 0)
        return ob_fail(err, OB_EINVAL, "windows: the training split needs at least 1 sample");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) return ob_fail(err, OB_ENOMEM, "windows: out of memory");
    gsl_rng_set(rng, seed);
    vocab v;
    double centre[TOPICS][WDIM];
    for (int t = 0; t < TOPICS; t++)
        for (int j = 0; j < WDIM; j++) centre[t][j] = gsl_ran_gaussian(rng, 1.0);
    for (int w = 0; w < VOCAB; w++)
        for (int j = 0; j < WDIM; j++)
            v.emb[w][j] = centre[w / (VOCAB / TOPICS)][j] + gsl_ran_gaussian(rng, WSPREAD);
    memset(v.last, 0, sizeof v.last);
    const size_t n[3] = {n_train, n_val, n_test};
    ob_status st = generate("windows", WIN * WDIM, n, 0.0, window, &v, 1, rng, out, err);
    gsl_rng_free(rng);
    return st;
}
