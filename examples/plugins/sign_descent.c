/* sign_descent.c - an optbench optimizer plugin: sign descent, x -= lr * sign(g)
 * (the optimization slides' plain sign step, the core of RProp and of Lion).
 *
 *     cc -O2 -fPIC -shared -Iinclude examples/plugins/sign_descent.c -o sign_descent.so
 *     optbench run --problem rosenbrock --optimizer ./sign_descent.so --lr 1e-3 --out sd.csv
 */
#include <optbench.h>

/* the state: the option this rule adds, --dead-zone (in ob_hparams' spare extra[0]) */
static ob_status sd_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)n;
    *(double *)state = h->extra[0];
    return OB_OK;
}

/* sign(g), and 0 inside the dead zone |g| <= dz */
static double sign(double g, double dz) { return g > dz ? 1 : g < -dz ? -1 : 0; }

/* x -= lr * sign(g), for float64 or float32 parameters */
static ob_status sd_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                         double lr, long t, const ob_objective *obj)
{
    (void)t, (void)obj;
    double dz = *(double *)state;
    for (size_t i = 0; i < n; i++) {
        if (dt == OB_F64) ((double *)x)[i] -= lr * sign(((const double *)g)[i], dz);
        else ((float *)x)[i] -= (float)(lr * sign(((const float *)g)[i], dz));
    }
    return OB_OK;
}

static const ob_hp_option sd_options[] = {
    OB_HP_LR(1e-3, "step length in every coordinate: x -= lr*sign(g)"),
    OB_HP_NUMBER("dead-zone", extra[0], 0, ">= 0", "coordinates with |g| <= this stay put"),
    OB_HP_END,
};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "sign-descent",
    .summary = "sign descent: x -= lr*sign(g)",
    .options = sd_options,
    .state_size = sizeof(double),
    .alloc = sd_alloc,
    .step = sd_step,
};
