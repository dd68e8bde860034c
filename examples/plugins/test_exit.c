/* test_exit.c - a plugin that ends the process (for the tests, tests/test_plugin_faults.c):
 * gradient descent that calls exit(0) at step 3, whatever its learning rate, as a careless
 * "stop here" would; optbench must not take that for a finished run. */
#include <optbench.h>
#include <stdlib.h>

static ob_status te_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)state, (void)n, (void)h;
    return OB_OK;
}

static ob_status te_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                         double lr, long t, const ob_objective *obj)
{
    (void)state, (void)obj;
    if (t == 3) exit(0);
    if (dt == OB_F64)
        for (size_t i = 0; i < n; i++) ((double *)x)[i] -= lr * ((const double *)g)[i];
    else
        for (size_t i = 0; i < n; i++) ((float *)x)[i] -= (float)lr * ((const float *)g)[i];
    return OB_OK;
}

static const ob_hp_option te_options[] = {OB_HP_LR(1e-3, "learning rate"), OB_HP_END};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "test-exit", .summary = "gd that calls exit(0) at step 3",
    .options = te_options, .alloc = te_alloc, .step = te_step,
};
