/* optim.h - the optimizer tests' constructor: optimizer NAME at torch's defaults with
 * learning rate lr, then set(h) for the case's other values, on n parameters of type dt.
 * Included by one test file each (after cmocka.h). */
#ifndef OB_TEST_OPTIM_H
#define OB_TEST_OPTIM_H

#include "optimizers/optimizer.h"

static ob_optimizer *make(const char *name, double lr, void (*set)(ob_hparams *), size_t n,
                          ob_dtype dt)
{
    const ob_optimizer_type *T = ob_optimizer_find(name);
    assert_non_null(T);
    ob_hparams h;
    ob_hparams_default(T, &h);
    h.lr = lr;
    if (set) set(&h);
    ob_error err = {{0}};
    ob_optimizer *o = ob_optimizer_alloc(T, &h, n, dt, &err);
    if (!o) fail_msg("alloc %s: %s", name, err.msg);
    return o;
}

#endif
