/* datasets.c - the data sets by name (see dataset.h): the one list of them, their sizes,
 * defaults and loaders. */
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "common/names.h"
#include "nets/dataset.h"

static ob_status load_fashion(const ob_dataset_opts *o, ob_splits *out, ob_error *err)
{
    return ob_load_idx_dir(OB_FASHION_MNIST_DIR, o->val, o->split_seed, out, err);
}

/* synthetic sets: n training samples, a quarter of that for validation and for test */
static ob_status load_spirals(const ob_dataset_opts *o, ob_splits *out, ob_error *err)
{
    size_t n = o->samples;
    return ob_make_spirals(n, n / 4, n / 4, o->noise, o->seed, out, err);
}

static ob_status load_moons(const ob_dataset_opts *o, ob_splits *out, ob_error *err)
{
    size_t n = o->samples;
    return ob_make_moons(n, n / 4, n / 4, o->noise, o->seed, out, err);
}

static ob_status load_windows(const ob_dataset_opts *o, ob_splits *out, ob_error *err)
{
    size_t n = o->samples;
    return ob_make_windows(n, n / 4, n / 4, o->seed, out, err);
}

static const ob_dataset_type fashion_mnist = {
    .name = "fashion-mnist",
    .summary = OB_FASHION_MNIST_DIR ", 60000 train (" OB_STR(OB_FASHION_MNIST_VAL)
               " held out for validation) + 10000 test, 28x28",
    .d = 784, .classes = 10, .n_train = 60000, .n_test = 10000, .noise = NAN,
    .load = load_fashion,
};
static const ob_dataset_type spirals = {
    .name = "spirals", .summary = "two interleaved spirals in 2-D",
    .source = "Mathematics of Data slides", .d = 2, .classes = 2,
    .samples = OB_DATASET_SAMPLES, .noise = 0.2, .load = load_spirals,
};
static const ob_dataset_type moons = {
    .name = "moons", .summary = "two moons in 2-D", .d = 2, .classes = 2,
    .samples = OB_DATASET_SAMPLES, .noise = 0.1, .load = load_moons,
};
static const ob_dataset_type windows = {
    .name = "windows", .summary = "5-word windows of 4-d word vectors, true vs corrupt",
    .source = "crash-course notes", .d = 20, .classes = 2, .samples = OB_DATASET_SAMPLES,
    .noise = NAN, .load = load_windows,
};

const ob_dataset_type *const ob_dataset_types[] = {&fashion_mnist, &spirals, &moons, &windows,
                                                   NULL};

ob_dataset_opts ob_dataset_defaults(void)
{
    return (ob_dataset_opts){.seed = 1, .split_seed = 1, .val = OB_FASHION_MNIST_VAL,
                             .noise = NAN};
}

const ob_dataset_type *ob_dataset_find(const char *name)
{
    for (const ob_dataset_type *const *t = ob_dataset_types; *t; t++)
        if (strcmp((*t)->name, name) == 0) return *t;
    return NULL;
}

ob_status ob_dataset_lookup(const char *opt, const char *name, const ob_dataset_type **T,
                            ob_error *err)
{
    if ((*T = ob_dataset_find(name)) != NULL) return OB_OK;
    const char *names[OB_NAMES_MAX];
    char list[256];
    OB_NAMES_OF(names, ob_dataset_types);
    return ob_fail(err, OB_EINVAL, "%s%sunknown data set '%s' (%s)", opt ? opt : "",
                   opt ? ": " : "", name, ob_accepted(list, sizeof list, names));
}

static ob_status keep_subset(ob_status st, const ob_dataset_opts *o, ob_splits *out)
{
    if (st == OB_OK && o->subset > 0 && o->subset < out->train.n) out->train.n = o->subset;
    return st;
}

ob_status ob_dataset_load(const ob_dataset_type *T, const ob_dataset_opts *o, ob_splits *out,
                          ob_error *err)
{
    ob_dataset_opts x = *o;
    if (!x.samples) x.samples = T->samples;
    if (isnan(x.noise)) x.noise = T->noise;
    memset(out, 0, sizeof *out);
    return keep_subset(T->load(&x, out, err), o, out);
}

ob_status ob_dataset_load_path(const char *path, const ob_dataset_opts *o, ob_splits *out,
                               ob_error *err)
{
    struct stat sb;
    memset(out, 0, sizeof *out);
    if (stat(path, &sb) != 0)
        return ob_fail(err, OB_EIO, "--data: cannot read '%s' (a directory of IDX files or a "
                       "CSV file)", path);
    ob_status st = S_ISDIR(sb.st_mode)
                       ? ob_load_idx_dir(path, o->val, o->split_seed, out, err)
                       : ob_load_csv_dataset(path, 0.1, 0.2, o->split_seed, out, err);
    return keep_subset(st, o, out);
}
