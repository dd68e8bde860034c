/* test_stdout.c - a plugin that prints on standard output (for the tests,
 * tests/test_plugin_faults.c): gradient descent that prints a line at each of its first
 * three steps, as a debugging printf would.  A plugin must not (docs/optimizers.md): with
 * `run --out -` the lines would be mixed into the CSV; the bench sends them to stderr. */
#include <optbench.h>
#include <stdio.h>

static ob_status ts_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)state, (void)n, (void)h;
    return OB_OK;
}

static ob_status ts_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                         double lr, long t, const ob_objective *obj)
{
    (void)state, (void)obj;
    if (t <= 3) printf("test-stdout: step %ld\n", t);
    if (dt == OB_F64)
        for (size_t i = 0; i < n; i++) ((double *)x)[i] -= lr * ((const double *)g)[i];
    else
        for (size_t i = 0; i < n; i++) ((float *)x)[i] -= (float)lr * ((const float *)g)[i];
    return OB_OK;
}

static const ob_hp_option ts_options[] = {OB_HP_LR(1e-3, "learning rate"), OB_HP_END};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "test-stdout", .summary = "gd that prints at its first three steps",
    .options = ts_options, .alloc = ts_alloc, .step = ts_step,
};
