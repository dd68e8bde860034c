/* test_nan.c - a plugin that writes NaN (for the tests, tests/test_plugin_faults.c):
 * gradient descent whose step 3 sets every coordinate to NaN: a diverged run, which is a
 * result (status diverged, exit 0), not a fault. */
#include <math.h>
#include <optbench.h>

static ob_status tn_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)state, (void)n, (void)h;
    return OB_OK;
}

static ob_status tn_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                         double lr, long t, const ob_objective *obj)
{
    (void)state, (void)obj;
    if (dt == OB_F64)
        for (size_t i = 0; i < n; i++)
            ((double *)x)[i] = t == 3 ? NAN : ((double *)x)[i] - lr * ((const double *)g)[i];
    else
        for (size_t i = 0; i < n; i++)
            ((float *)x)[i] = t == 3 ? NAN : ((float *)x)[i] - (float)lr * ((const float *)g)[i];
    return OB_OK;
}

static const ob_hp_option tn_options[] = {OB_HP_LR(1e-3, "learning rate"), OB_HP_END};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "test-nan", .summary = "gd that writes NaN at step 3",
    .options = tn_options, .alloc = tn_alloc, .step = tn_step,
};
