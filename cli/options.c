/* options.c - the shared option groups (see options.h).  Every list below is walked
 * from the registries; nothing here names an optimizer or a problem. */
#include "cli/options.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/names.h"
#include "optimizers/plugin.h"

/* ---- the schedule's options (one table: the schedule is not per rule) ----------------- */

enum { S_SCHEDULE, S_FACTOR, S_EVERY, S_RATE, S_TAU, S_T_MAX, S_ETA_MIN, S_WARMUP, S_N };

static const ob_shared_option schedule_options[S_N] = {
    [S_SCHEDULE] = {"schedule", NULL, "NAME"}, [S_FACTOR] = {"decay-factor", NULL, "X"},
    [S_EVERY] = {"decay-every", NULL, "N"},    [S_RATE] = {"decay-rate", NULL, "X"},
    [S_TAU] = {"tau", NULL, "X"},              [S_T_MAX] = {"t-max", NULL, "T"},
    [S_ETA_MIN] = {"eta-min", NULL, "X"},      [S_WARMUP] = {"warmup", NULL, "K"},
};

static int schedule_index(const char *name)
{
    for (int k = 0; k < S_N; k++)
        if (strcmp(schedule_options[k].name, name) == 0) return k;
    return -1;
}

/* ---- listing the groups ---------------------------------------------------------------- */

static int seen(const ob_shared_option *out, size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(out[k].name, name) == 0) return 1;
    return 0;
}

static void add(ob_shared_option *out, size_t *n, size_t cap, ob_shared_option o)
{
    if (seen(out, *n < cap ? *n : cap, o.name)) return;
    if (*n < cap) out[*n] = o;
    (*n)++;
}

size_t ob_shared_options(int group, ob_shared_option *out, size_t cap)
{
    static const char *const hp_value[] = {[OB_HPK_NUMBER] = "X", [OB_HPK_PAIR] = "LO,HI"};
    static const char *const po_value[] = {[OB_POK_COUNT] = "N", [OB_POK_NUMBER] = "X",
                                           [OB_POK_TEXT] = "FILE", [OB_POK_OFF] = "0|1"};
    size_t n = 0;
    if (group == OB_CLI_SCHEDULE)
        for (int k = 0; k < S_N; k++) add(out, &n, cap, schedule_options[k]);
    if (group == OB_CLI_OPTIMIZER)
        for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++)
            for (const ob_hp_option *o = (*t)->options; o->name; o++)
                add(out, &n, cap, (ob_shared_option){o->name, o->alias, hp_value[o->kind]});
    if (group == OB_CLI_PROBLEM)
        for (const ob_problem_type *const *t = ob_problem_types; *t; t++)
            for (const ob_problem_option *o = (*t)->options; o->name; o++)
                add(out, &n, cap, (ob_shared_option){o->name, NULL, po_value[o->kind]});
    return n;
}

const char *ob_hp_default_text(const ob_hp_option *o, char *buf, size_t cap)
{
    if (o->kind == OB_HPK_FLAG) snprintf(buf, cap, "%s", o->def != 0 ? "on" : "off");
    else if (o->kind == OB_HPK_PAIR) snprintf(buf, cap, "%g,%g", o->def, o->def2);
    else snprintf(buf, cap, "%g", o->def);
    return buf;
}

/* appends to buf (a fixed buffer, truncated at cap) */
__attribute__((format(printf, 3, 4))) static void cat(char *buf, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

const char *ob_optimizer_readers(const char *name, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++)
        if (ob_hp_option_find(*t, name)) cat(buf, cap, "%s%s", buf[0] ? ", " : "", (*t)->name);
    return buf;
}

static const char *problem_readers(const char *name, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (const ob_problem_type *const *t = ob_problem_types; *t; t++)
        if (ob_problem_option_find(*t, name)) cat(buf, cap, "%s%s", buf[0] ? ", " : "", (*t)->name);
    return buf;
}

/* ---- help -------------------------------------------------------------------------------- */

/* "(default 0.01; adam 0.001)": the value most readers share, then the exceptions.
 * defs[k] is reader k's default, names[k] its name. */
static void default_list(char *buf, size_t cap, const char **defs, const char **names, size_t n)
{
    size_t best = 0, best_count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        for (size_t j = 0; j < n; j++) c += strcmp(defs[i], defs[j]) == 0;
        if (c > best_count) best = i, best_count = c;
    }
    cat(buf, cap, "(default %s", defs[best]);
    const char *sep = "; ";
    for (size_t i = 0; i < n; i++)
        if (strcmp(defs[i], defs[best]) != 0) {
            cat(buf, cap, "%s%s %s", sep, names[i], defs[i]);
            sep = ", ";
        }
    cat(buf, cap, ")");
}

static void help_line(FILE *f, const ob_shared_option *o, const char *help, const char *range,
                      const char *defaults, const char *readers)
{
    char head[64];
    snprintf(head, sizeof head, "--%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
    fprintf(f, "  %-24s %s%s%s %s\n", head, help, range ? "; " : "", range ? range : "", defaults);
    if (readers) fprintf(f, "  %-24s read by: %s\n", "", readers);
}

static void optimizer_help(FILE *f, const ob_shared_option *o)
{
    const char *defs[OB_OPTIMIZERS_MAX], *names[OB_OPTIMIZERS_MAX];
    char text[OB_OPTIMIZERS_MAX][48], defaults[512] = "", readers[512];
    const ob_hp_option *first = NULL;
    size_t n = 0, all = 0;
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++, all++) {
        const ob_hp_option *h = ob_hp_option_find(*t, o->name);
        if (!h) continue;
        if (!first) first = h;
        defs[n] = ob_hp_default_text(h, text[n], sizeof text[n]);
        names[n++] = (*t)->name;
    }
    default_list(defaults, sizeof defaults, defs, names, n);
    ob_optimizer_readers(o->name, readers, sizeof readers);
    help_line(f, o, first->help, first->range, defaults, n < all ? readers : NULL);
}

static void problem_help(FILE *f, const ob_shared_option *o)
{
    const char *defs[64], *names[64];
    char defaults[512] = "", readers[512];
    const ob_problem_option *first = NULL;
    size_t n = 0;
    for (const ob_problem_type *const *t = ob_problem_types; *t && n < 64; t++) {
        const ob_problem_option *p = ob_problem_option_find(*t, o->name);
        if (!p) continue;
        if (!first) first = p;
        defs[n] = p->def ? p->def : p->kind == OB_POK_FLAG ? "off" : "none";
        names[n++] = (*t)->name;
    }
    default_list(defaults, sizeof defaults, defs, names, n);
    problem_readers(o->name, readers, sizeof readers);
    help_line(f, o, first->help, NULL, defaults, readers);
}

static void schedule_help(FILE *f)
{
    const ob_schedule d = ob_schedule_default();
    const char *list[OB_NAMES_MAX];
    char names[256], def[6][48];
    OB_NAMES_OF(list, ob_schedule_types);
    ob_names_join(names, sizeof names, list, "|");
    snprintf(def[0], sizeof def[0], "(default %g)", d.factor);
    snprintf(def[1], sizeof def[1], "(default %ld)", d.every);
    snprintf(def[2], sizeof def[2], "(default %g)", d.k);
    snprintf(def[3], sizeof def[3], "(default %g)", d.tau);
    snprintf(def[4], sizeof def[4], "(default %g)", d.eta_min);
    snprintf(def[5], sizeof def[5], "(default the run's number of updates)");
    help_line(f, &schedule_options[S_SCHEDULE], names, NULL, "(default constant)", NULL);
    help_line(f, &schedule_options[S_FACTOR], "step: lr0 * factor^floor(t/every)", NULL, def[0], NULL);
    help_line(f, &schedule_options[S_EVERY], "step: the period in updates", NULL, def[1], NULL);
    help_line(f, &schedule_options[S_RATE], "exp: lr0 * exp(-k t)", NULL, def[2], NULL);
    help_line(f, &schedule_options[S_TAU], "tau: lr0 * tau / max(t, tau)", NULL, def[3], NULL);
    help_line(f, &schedule_options[S_T_MAX],
              "cosine: eta_min + (lr0 - eta_min)(1 + cos(pi t/T))/2 for t < T", ">= 1", def[5],
              NULL);
    help_line(f, &schedule_options[S_ETA_MIN], "cosine: the rate from t = T on", ">= 0", def[4],
              NULL);
    help_line(f, &schedule_options[S_WARMUP], "any schedule: its rate times min(1, (t+1)/K)",
              ">= 1", "(default off)", NULL);
}

void ob_shared_help(FILE *f, int group)
{
    ob_shared_option o[OB_CLI_MAX_OPTIONS];
    size_t n = ob_shared_options(group, o, OB_CLI_MAX_OPTIONS);
    if (group == OB_CLI_SCHEDULE) {
        fprintf(f, "\nschedule (t counts updates from 0):\n");
        schedule_help(f);
        return;
    }
    fprintf(f, group == OB_CLI_OPTIMIZER
                   ? "\noptimizer options (defaults as torch.optim; `optbench list` shows each "
                     "rule's):\n"
                   : "\nproblem options (only the problems named read them):\n");
    for (size_t k = 0; k < n && k < OB_CLI_MAX_OPTIONS; k++) {
        if (group == OB_CLI_OPTIMIZER) optimizer_help(f, &o[k]);
        else problem_help(f, &o[k]);
    }
}

/* ---- taking and resolving -------------------------------------------------------------- */

void ob_optim_args_init(ob_optim_args *a)
{
    memset(a, 0, sizeof *a);
    a->sched = ob_schedule_default();
}

static int record(ob_given *given, size_t *n, size_t cap, const ob_cli_arg *arg, ob_error *e)
{
    if (*n == cap) {
        ob_fail(e, OB_EINVAL, "too many options (at most %zu)", cap);
        return -1;
    }
    given[(*n)++] = (ob_given){arg->name, arg->arg};
    return 1;
}

int ob_optim_args_take(ob_optim_args *a, const ob_cli_arg *arg, ob_error *e)
{
    if (arg->id == OB_CLI_ID_OPTIMIZER)
        return record(a->given, &a->ngiven, sizeof a->given / sizeof *a->given, arg, e);
    if (arg->id != OB_CLI_ID_SCHEDULE) return 0;
    ob_schedule *s = &a->sched;
    char flag[48];
    snprintf(flag, sizeof flag, "--%s", arg->name);
    switch (schedule_index(arg->name)) {
    case S_SCHEDULE: a->schedule = arg->arg; return 1;
    case S_FACTOR: return ob_parse_double(flag, arg->arg, &s->factor, e) ? -1 : 1;
    case S_EVERY: return ob_parse_long(flag, arg->arg, 1, 1000000000L, &s->every, e) ? -1 : 1;
    case S_RATE: return ob_parse_double(flag, arg->arg, &s->k, e) ? -1 : 1;
    case S_TAU: return ob_parse_double(flag, arg->arg, &s->tau, e) ? -1 : 1;
    case S_T_MAX: return ob_parse_long(flag, arg->arg, 1, 1000000000000L, &s->t_max, e) ? -1 : 1;
    case S_ETA_MIN: return ob_parse_double(flag, arg->arg, &s->eta_min, e) ? -1 : 1;
    case S_WARMUP: return ob_parse_long(flag, arg->arg, 1, 1000000000000L, &s->warmup, e) ? -1 : 1;
    }
    return 0;
}

/* "unknown optimizer 'adamm' (accepted: gd, sgd, ...)" */
#define UNKNOWN(e, what, given, TYPES)                                                        \
    do {                                                                                     \
        const char *names_[OB_NAMES_MAX];                                                    \
        char list_[512];                                                                     \
        OB_NAMES_OF(names_, TYPES);                                                          \
        ob_fail(e, OB_EINVAL, "unknown %s '%s' (%s)", what, given,                           \
                ob_accepted(list_, sizeof list_, names_));                                   \
    } while (0)

/* one option given to T: its value into h */
static ob_status apply(const ob_optimizer_type *T, const ob_given *g, ob_hparams *h, ob_error *e)
{
    char flag[48], readers[512];
    snprintf(flag, sizeof flag, "--%s", g->name);
    const ob_hp_option *o = ob_hp_option_find(T, g->name);
    if (!o)
        return ob_fail(e, OB_EINVAL, "%s does not apply to %s (it is read by: %s)", flag,
                       T->name, ob_optimizer_readers(g->name, readers, sizeof readers));
    double two[2];
    size_t n2;
    switch (o->kind) {
    case OB_HPK_FLAG: *ob_hp_flag(h, o->field) = 1; return OB_OK;
    case OB_HPK_NUMBER: return ob_parse_double(flag, g->arg, ob_hp_number(h, o->field), e);
    case OB_HPK_PAIR:
        if (ob_parse_list(flag, g->arg, two, 2, &n2, e)) return OB_EINVAL;
        if (n2 != 2) return ob_fail(e, OB_EINVAL, "%s takes two numbers, lo,hi", flag);
        *ob_hp_number(h, o->field) = two[0];
        *ob_hp_number(h, o->field2) = two[1];
        return OB_OK;
    }
    return ob_fail(e, OB_EINVAL, "internal: %s has no kind", flag);
}

/* ob_hparams_imply's question: was option o given on the command line? */
static int was_given(const void *ctx, const ob_hp_option *o)
{
    const ob_optim_args *a = ctx;
    for (size_t i = 0; i < a->ngiven; i++)
        if (strcmp(a->given[i].name, o->name) == 0 ||
            (o->alias && strcmp(a->given[i].name, o->alias) == 0))
            return 1;
    return 0;
}

ob_status ob_optim_args_resolve(const ob_optim_args *a, const char *optimizer,
                                const ob_optimizer_type **T, ob_hparams *h, ob_schedule *sched,
                                ob_error *e)
{
    if (ob_optimizer_resolve(optimizer, T, e) != OB_OK) return OB_EINVAL; /* a plugin path */
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
    for (size_t i = 0; i < a->ngiven; i++)
        if (apply(*T, &a->given[i], h, e) != OB_OK) return OB_EINVAL;
    ob_hparams_imply(*T, h, was_given, a); /* --adamw: weight decay 0.01 unless given */
    return ob_hparams_check(*T, h, e);
}

int ob_problem_args_take(ob_problem_args *a, const ob_cli_arg *arg, ob_error *e)
{
    if (arg->id != OB_CLI_ID_PROBLEM) return 0;
    return record(a->given, &a->ngiven, sizeof a->given / sizeof *a->given, arg, e);
}

/* one option given to problem T: its value into o */
static ob_status apply_problem(const ob_problem_type *T, const ob_given *g, ob_problem_opts *o,
                               ob_error *e)
{
    char flag[48], reads[512] = "";
    snprintf(flag, sizeof flag, "--%s", g->name);
    const ob_problem_option *p = ob_problem_option_find(T, g->name);
    if (!p) {
        for (const ob_problem_option *q = T->options; q->name; q++)
            cat(reads, sizeof reads, "%s--%s", reads[0] ? ", " : "", q->name);
        return ob_fail(e, OB_EINVAL, "%s does not apply to %s (it reads: %s)", flag, T->name,
                       reads[0] ? reads : "no options");
    }
    void *field = (char *)o + p->field;
    long v;
    double d;
    switch (p->kind) {
    case OB_POK_FLAG: *(int *)field = 1; return OB_OK;
    case OB_POK_TEXT: *(const char **)field = g->arg; return OB_OK;
    case OB_POK_OFF:
        if (ob_parse_long(flag, g->arg, 0, 1, &v, e)) return OB_EINVAL;
        *(int *)field = v == 0;
        return OB_OK;
    case OB_POK_COUNT:
        if (ob_parse_long(flag, g->arg, (long)p->lo, (long)p->hi, &v, e)) return OB_EINVAL;
        *(size_t *)field = (size_t)v;
        return OB_OK;
    case OB_POK_NUMBER:
        if (ob_parse_min(flag, g->arg, p->lo, 0, &d, e)) return OB_EINVAL;
        *(double *)field = d;
        return OB_OK;
    }
    return ob_fail(e, OB_EINVAL, "internal: %s has no kind", flag);
}

ob_status ob_problem_args_resolve(const ob_problem_args *a, const char *problem,
                                  const ob_problem_type **T, ob_problem_opts *o, ob_error *e)
{
    *T = ob_problem_find(problem);
    if (!*T) {
        UNKNOWN(e, "problem", problem, ob_problem_types);
        return OB_EINVAL;
    }
    for (size_t i = 0; i < a->ngiven; i++)
        if (apply_problem(*T, &a->given[i], o, e) != OB_OK) return OB_EINVAL;
    return OB_OK;
}

/* ---- a plugin's table against the command line ----------------------------------------- */

ob_status ob_optimizer_options_check(const ob_optimizer_type *T, ob_error *e)
{
    static const int groups[] = {OB_CLI_SCHEDULE, OB_CLI_PROBLEM};
    ob_shared_option sh[OB_CLI_MAX_OPTIONS];
    char readers[512];
    for (const ob_hp_option *o = T->options; o->name; o++)
        for (int a = 0; a < 2; a++) {
            const char *name = a ? o->alias : o->name;
            if (!name) continue;
            if (strcmp(name, "help") == 0)
                return ob_fail(e, OB_EINVAL, "%s's option --help is every command's own "
                               "(rename it)", T->name);
            /* the commands that take optimizer options: their own would win the parse */
            for (const ob_cli_command *const *c = ob_commands; *c; c++) {
                if (!((*c)->shared & OB_CLI_OPTIMIZER)) continue;
                for (const ob_cli_option *q = (*c)->options; q->name; q++)
                    if (strcmp(q->name, name) == 0)
                        return ob_fail(e, OB_EINVAL, "%s's option --%s is also `optbench %s "
                                       "--%s` (%s); rename it", T->name, name, (*c)->name,
                                       q->name, q->help);
            }
            /* the schedule's and the problems' options: the optimizer's would take them */
            for (int g = 0; g < 2; g++) {
                size_t n = ob_shared_options(groups[g], sh, OB_CLI_MAX_OPTIONS);
                for (size_t k = 0; k < n && k < OB_CLI_MAX_OPTIONS; k++) {
                    if (strcmp(sh[k].name, name) && !(sh[k].alias && !strcmp(sh[k].alias, name)))
                        continue;
                    if (groups[g] == OB_CLI_SCHEDULE)
                        return ob_fail(e, OB_EINVAL, "%s's option --%s is also an option of the "
                                       "schedule; rename it", T->name, name);
                    return ob_fail(e, OB_EINVAL, "%s's option --%s is also an option of the "
                                   "problems (read by: %s); rename it", T->name, name,
                                   problem_readers(sh[k].name, readers, sizeof readers));
                }
            }
        }
    return OB_OK;
}

void ob_warn_decay(const char *cmd, const ob_optimizer_type *T, const ob_hparams *h)
{
    double f = ob_optimizer_decay(T, h, h->lr);
    if (f <= 0)
        fprintf(stderr, "optbench %s: warning: %s at lr %g with weight decay %g multiplies x by "
                "%g a step whatever the gradient (lr*wd >= 1): outside the rule's meaningful "
                "range, it reaches a minimizer at the origin for free (the bench skips it)\n",
                cmd, T->name, h->lr, h->weight_decay, f);
}
