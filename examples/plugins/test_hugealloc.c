/* test_hugealloc.c - a plugin whose state cannot be allocated (for the tests,
 * tests/test_plugin_faults.c): alloc wants 50 GB per run and reports OB_ENOMEM, as an
 * allocation that fails does (asking the allocator for it would make a sanitizer abort
 * instead of failing). */
#include <optbench.h>

static ob_status thg_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)state, (void)n, (void)h;
    return OB_ENOMEM; /* malloc(50e9) == NULL */
}

static ob_status thg_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                          double lr, long t, const ob_objective *obj)
{
    (void)state, (void)x, (void)g, (void)n, (void)dt, (void)lr, (void)t, (void)obj;
    return OB_OK;
}

static const ob_hp_option thg_options[] = {OB_HP_LR(1e-3, "learning rate"), OB_HP_END};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "test-hugealloc", .summary = "a state of 50 GB that cannot be allocated",
    .options = thg_options, .alloc = thg_alloc, .step = thg_step,
};
