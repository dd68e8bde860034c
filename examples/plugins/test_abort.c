/* test_abort.c - a plugin that aborts (for the tests, tests/test_plugin_faults.c): gradient
 * descent that calls abort() (SIGABRT) at step 3 when its learning rate is above 1e-2. */
#include <optbench.h>
#include <stdlib.h>

static ob_status ta_alloc(void *state, size_t n, const ob_hparams *h)
{
    *(double *)state = h->lr;
    (void)n;
    return OB_OK;
}

static ob_status ta_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                         double lr, long t, const ob_objective *obj)
{
    (void)obj;
    if (t == 3 && *(double *)state > 1e-2) abort();
    for (size_t i = 0; i < n && dt == OB_F64; i++) ((double *)x)[i] -= lr * ((const double *)g)[i];
    return OB_OK;
}

static const ob_hp_option ta_options[] = {OB_HP_LR(1e-3, "learning rate"), OB_HP_END};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "test-abort", .summary = "gd that aborts at step 3 when lr > 1e-2",
    .options = ta_options, .state_size = sizeof(double), .f64_only = 1,
    .alloc = ta_alloc, .step = ta_step,
};
