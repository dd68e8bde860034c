/* test_crash.c - a plugin that crashes (for the tests): gradient descent that dies of
 * SIGSEGV at step 3 when its learning rate is above 1e-2, so that in a benchmark some of
 * its runs crash and the others finish. */
#include <optbench.h>
#include <signal.h>

static ob_status tc_alloc(void *state, size_t n, const ob_hparams *h)
{
    *(double *)state = h->lr;
    (void)n;
    return OB_OK;
}

static ob_status tc_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                         double lr, long t, const ob_objective *obj)
{
    (void)obj;
    if (t == 3 && *(double *)state > 1e-2) raise(SIGSEGV);
    for (size_t i = 0; i < n && dt == OB_F64; i++) ((double *)x)[i] -= lr * ((const double *)g)[i];
    return OB_OK;
}

static const ob_hp_option tc_options[] = {OB_HP_LR(1e-3, "learning rate"), OB_HP_END};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "test-crash", .summary = "gd that crashes at step 3 when lr > 1e-2",
    .options = tc_options, .state_size = sizeof(double), .f64_only = 1,
    .alloc = tc_alloc, .step = tc_step,
};
