/* options.c - shared option parsing (see options.h). */
#include "cli/options.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct option shared_options[] = {
    OB_OPTIMIZER_OPTIONS, OB_SCHEDULE_OPTIONS, OB_PROBLEM_OPTIONS, {0, 0, 0, 0},
};

/* Which optimizers read an optimizer option: giving one to another rule is a mistake
 * worth an error (a silently ignored --beta1 on sgd hides a typo in a benchmark). */
static const struct {
    int id;
    const char *applies; /* space-separated optimizer names */
} scope[] = {
    {OB_OPT_MOMENTUM, "gd sgd momentum nag rmsprop"},
    {OB_OPT_DAMPENING, "gd sgd momentum nag"},
    {OB_OPT_NESTEROV, "gd sgd momentum nag"},
    {OB_OPT_SEED_FORM, "momentum nag"},
    {OB_OPT_BETA1, "adam"},
    {OB_OPT_BETA2, "adam"},
    {OB_OPT_EPS, "adam adagrad rmsprop"},
    {OB_OPT_AMSGRAD, "adam"},
    {OB_OPT_ADAMW, "adam"},
    {OB_OPT_ALPHA, "rmsprop"},
    {OB_OPT_CENTERED, "rmsprop"},
    {OB_OPT_EPS_INSIDE, "adagrad rmsprop"},
    {OB_OPT_LR_DECAY, "adagrad"},
    {OB_OPT_INIT_ACC, "adagrad"},
    {OB_OPT_ETAS, "rprop"},
    {OB_OPT_STEP_SIZES, "rprop"},
    {OB_OPT_SIGN_ONLY, "rprop"},
    {OB_OPT_WEIGHT_DECAY, "gd sgd momentum nag adagrad rmsprop adam"},
};

const char *ob_option_name(const struct option *table, int id)
{
    for (const struct option *o = table; o->name; o++)
        if (o->val == id) return o->name;
    return "?";
}

static int word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

void ob_optim_args_init(ob_optim_args *a)
{
    memset(a, 0, sizeof *a);
    a->sched = ob_schedule_default(0);
}

int ob_optim_args_take(ob_optim_args *a, int id, const char *arg, ob_error *e)
{
    ob_schedule *s = &a->sched;
    switch (id) {
    case OB_OPT_SCHEDULE: a->schedule = arg; return 1;
    case OB_OPT_DECAY_FACTOR: return ob_parse_double("--decay-factor", arg, &s->factor, e) ? -1 : 1;
    case OB_OPT_DECAY_EVERY:
        return ob_parse_long("--decay-every", arg, 1, 1000000000L, &s->every, e) ? -1 : 1;
    case OB_OPT_DECAY_RATE: return ob_parse_double("--decay-rate", arg, &s->k, e) ? -1 : 1;
    case OB_OPT_TAU: return ob_parse_double("--tau", arg, &s->tau, e) ? -1 : 1;
    }
    if (id < OB_OPT_LR || id > OB_OPT_WEIGHT_DECAY) return 0;
    if (a->ngiven == sizeof a->given / sizeof *a->given) {
        ob_fail(e, OB_EINVAL, "too many optimizer options");
        return -1;
    }
    a->given[a->ngiven].id = id;
    a->given[a->ngiven].arg = arg;
    a->ngiven++;
    return 1;
}

/* "unknown optimizer 'adamm' (accepted: gd, sgd, ...)" */
#define UNKNOWN(e, what, given, TYPES)                                                        \
    do {                                                                                     \
        char list[512] = "";                                                                 \
        for (size_t i_ = 0; TYPES[i_]; i_++) {                                               \
            if (i_) strncat(list, ", ", sizeof list - strlen(list) - 1);                     \
            strncat(list, TYPES[i_]->name, sizeof list - strlen(list) - 1);                  \
        }                                                                                    \
        ob_fail(e, OB_EINVAL, "unknown %s '%s' (accepted: %s)", what, given, list);          \
    } while (0)

const ob_problem_type *ob_problem_lookup(const char *name, ob_error *e)
{
    const ob_problem_type *T = ob_problem_find(name);
    if (!T) UNKNOWN(e, "problem", name, ob_problem_types);
    return T;
}

static ob_status apply(const ob_optimizer_type *T, int id, const char *arg, ob_hparams *h,
                       ob_error *e)
{
    char flag[48];
    snprintf(flag, sizeof flag, "--%s", ob_option_name(shared_options, id));
    for (size_t k = 0; k < sizeof scope / sizeof *scope; k++)
        if (scope[k].id == id && !word_in(T->name, scope[k].applies))
            return ob_fail(e, OB_EINVAL, "%s does not apply to %s (it is read by: %s)", flag,
                           T->name, scope[k].applies);
    double two[2];
    size_t n2;
    switch (id) {
    case OB_OPT_LR: return ob_parse_double(flag, arg, &h->lr, e);
    case OB_OPT_MOMENTUM: return ob_parse_double(flag, arg, &h->momentum, e);
    case OB_OPT_DAMPENING: return ob_parse_double(flag, arg, &h->dampening, e);
    case OB_OPT_NESTEROV: h->nesterov = 1; return OB_OK;
    case OB_OPT_SEED_FORM: h->seed_form = 1; return OB_OK;
    case OB_OPT_BETA1: return ob_parse_double(flag, arg, &h->beta1, e);
    case OB_OPT_BETA2: return ob_parse_double(flag, arg, &h->beta2, e);
    case OB_OPT_EPS: return ob_parse_double(flag, arg, &h->eps, e);
    case OB_OPT_AMSGRAD: h->amsgrad = 1; return OB_OK;
    case OB_OPT_ADAMW: h->decoupled = 1; return OB_OK;
    case OB_OPT_ALPHA: return ob_parse_double(flag, arg, &h->alpha, e);
    case OB_OPT_CENTERED: h->centered = 1; return OB_OK;
    case OB_OPT_EPS_INSIDE: h->eps_inside = 1; return OB_OK;
    case OB_OPT_LR_DECAY: return ob_parse_double(flag, arg, &h->lr_decay, e);
    case OB_OPT_INIT_ACC: return ob_parse_double(flag, arg, &h->initial_accumulator_value, e);
    case OB_OPT_WEIGHT_DECAY: return ob_parse_double(flag, arg, &h->weight_decay, e);
    case OB_OPT_SIGN_ONLY: h->sign_only = 1; return OB_OK;
    case OB_OPT_ETAS:
    case OB_OPT_STEP_SIZES:
        if (ob_parse_list(flag, arg, two, 2, &n2, e)) return OB_EINVAL;
        if (n2 != 2) return ob_fail(e, OB_EINVAL, "%s takes two numbers, lo,hi", flag);
        if (id == OB_OPT_ETAS) h->eta_minus = two[0], h->eta_plus = two[1];
        else h->step_min = two[0], h->step_max = two[1];
        return OB_OK;
    }
    return ob_fail(e, OB_EINVAL, "internal: option %d is not an optimizer option", id);
}

ob_status ob_optim_args_resolve(const ob_optim_args *a, const char *optimizer,
                                const ob_optimizer_type **T, ob_hparams *h, ob_schedule *sched,
                                ob_error *e)
{
    *T = ob_optimizer_find(optimizer);
    if (!*T) {
        UNKNOWN(e, "optimizer", optimizer, ob_optimizer_types);
        return OB_EINVAL;
    }
    *sched = a->sched;
    sched->type = ob_schedule_find(a->schedule ? a->schedule : "constant");
    if (!sched->type) {
        UNKNOWN(e, "schedule", a->schedule, ob_schedule_types);
        return OB_EINVAL;
    }
    ob_hparams_default(*T, h);
    int have_wd = 0;
    for (size_t i = 0; i < a->ngiven; i++) {
        if (apply(*T, a->given[i].id, a->given[i].arg, h, e) != OB_OK) return OB_EINVAL;
        have_wd |= a->given[i].id == OB_OPT_WEIGHT_DECAY;
    }
    if (h->decoupled && !have_wd) h->weight_decay = 1e-2; /* torch.optim.AdamW's default */
    sched->lr0 = h->lr;
    return ob_hparams_check(*T, h, e);
}

int ob_problem_args_take(ob_problem_opts *o, int id, const char *arg, ob_error *e)
{
    long v;
    switch (id) {
    case OB_OPT_DIM:
        if (ob_parse_long("--dim", arg, 1, 1000000000L, &v, e)) return -1;
        o->dim = (size_t)v;
        return 1;
    case OB_OPT_KAPPA:
        if (ob_parse_double("--kappa", arg, &o->kappa, e)) return -1;
        if (o->kappa < 1) {
            ob_fail(e, OB_EINVAL, "--kappa must be >= 1, got %g", o->kappa);
            return -1;
        }
        return 1;
    case OB_OPT_ROTATE: o->rotate = 1; return 1;
    case OB_OPT_SAMPLES:
        if (ob_parse_long("--samples", arg, 1, 100000000L, &v, e)) return -1;
        o->samples = (size_t)v;
        return 1;
    case OB_OPT_SEPARABLE: o->separable = 1; return 1;
    case OB_OPT_L2:
        if (ob_parse_double("--l2", arg, &o->l2, e)) return -1;
        if (o->l2 < 0) {
            ob_fail(e, OB_EINVAL, "--l2 must be >= 0, got %g", o->l2);
            return -1;
        }
        return 1;
    case OB_OPT_DATA: o->data = arg; return 1;
    }
    return 0;
}
