/* fault.c - the misbehaving plugins of the tests (tests/test_plugin.c, test_plugin_faults.c),
 * one source compiled once per fault: `cc -DFAULT_crash ... -o test_crash.so`.  Each is
 * gradient descent, x -= lr*g, until its fault, at step 3:
 *   crash      dies of SIGSEGV when its lr is above 1e-2 (in a bench some runs crash, the
 *              others finish)
 *   abort      calls abort() (SIGABRT) when its lr is above 1e-2
 *   hang       never returns when its lr is above 1e-2
 *   exit       calls exit(0), as a careless "stop here" would: not a finished run
 *   hugealloc  its state cannot be allocated (alloc reports OB_ENOMEM as a failed 50 GB
 *              malloc would; asking the allocator would make a sanitizer abort instead)
 *   nan        sets every coordinate to NaN: a diverged run, which is a result
 *   stdout     prints a line at each of its first three steps, as a debugging printf would
 *              (a plugin must not: docs/optimizers.md) */
#include <math.h>
#include <optbench.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(FAULT_crash)
#define NAME "test-crash"
#elif defined(FAULT_abort)
#define NAME "test-abort"
#elif defined(FAULT_hang)
#define NAME "test-hang"
#elif defined(FAULT_exit)
#define NAME "test-exit"
#elif defined(FAULT_hugealloc)
#define NAME "test-hugealloc"
#elif defined(FAULT_nan)
#define NAME "test-nan"
#elif defined(FAULT_stdout)
#define NAME "test-stdout"
#else
#error "build with -DFAULT_crash, _abort, _hang, _exit, _hugealloc, _nan or _stdout"
#endif

/* the signal faults happen only above this lr, and only in float64 */
#if defined(FAULT_crash) || defined(FAULT_abort) || defined(FAULT_hang)
#define GATED 1
#else
#define GATED 0
#endif

static ob_status f_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)n;
    *(double *)state = h->lr;
#if defined(FAULT_hugealloc)
    return OB_ENOMEM; /* malloc(50e9) == NULL */
#else
    return OB_OK;
#endif
}

static void fault(double lr0, long t, void *x, size_t n, ob_dtype dt)
{
    if (t > 3) return;
#if defined(FAULT_stdout)
    (void)lr0, (void)x, (void)n, (void)dt;
    printf("test-stdout: step %ld\n", t);
#else
    if (t < 3) return;
#if defined(FAULT_nan)
    (void)lr0;
    for (size_t i = 0; i < n; i++)
        if (dt == OB_F64) ((double *)x)[i] = NAN;
        else ((float *)x)[i] = NAN;
#else
    (void)x, (void)n, (void)dt;
#if defined(FAULT_exit)
    (void)lr0;
    exit(0);
#else
    if (lr0 <= 1e-2) return;
#if defined(FAULT_crash)
    raise(SIGSEGV);
#elif defined(FAULT_abort)
    abort();
#elif defined(FAULT_hang)
    for (;;) pause();
#endif
#endif
#endif
#endif
}

static ob_status f_step(void *state, void *x, const void *g, size_t n, ob_dtype dt, double lr,
                        long t, const ob_objective *obj)
{
    (void)obj;
    if (dt == OB_F64)
        for (size_t i = 0; i < n; i++) ((double *)x)[i] -= lr * ((const double *)g)[i];
    else
        for (size_t i = 0; i < n; i++) ((float *)x)[i] -= (float)lr * ((const float *)g)[i];
    fault(*(const double *)state, t, x, n, dt);
    return OB_OK;
}

static const ob_hp_option f_options[] = {OB_HP_LR(1e-3, "learning rate"), OB_HP_END};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = NAME, .summary = "gd with a fault at step 3 (tests/plugins/fault.c)",
    .options = f_options, .state_size = sizeof(double), .f64_only = GATED,
    .alloc = f_alloc, .step = f_step,
};
