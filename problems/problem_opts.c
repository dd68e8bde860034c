/* problem_opts.c - a problem instance's options as text and back (see problem_opts.h). */
#include "problems/problem_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ob_problem_opts_format(const ob_problem_type *T, const ob_problem_opts *o, char *out,
                             size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
#define PUT(...)                                                                             \
    do {                                                                                     \
        int k_ = snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__);                      \
        if (k_ > 0) n += (size_t)k_;                                                         \
    } while (0)
    for (const ob_problem_option *p = T->options; p && p->name; p++) {
        const void *f = (const char *)o + p->field;
        switch (p->kind) {
        case OB_POK_COUNT:
            if (*(const size_t *)f) PUT("%s=%zu;", p->name, *(const size_t *)f);
            break;
        case OB_POK_NUMBER:
            if (*(const double *)f != 0) PUT("%s=%.17g;", p->name, *(const double *)f);
            break;
        case OB_POK_FLAG:
            if (*(const int *)f) PUT("%s=1;", p->name);
            break;
        case OB_POK_TEXT:
            if (*(const char *const *)f) PUT("%s=%s;", p->name, *(const char *const *)f);
            break;
        case OB_POK_OFF: /* on by default: written when off */
            if (*(const int *)f) PUT("%s=0;", p->name);
            break;
        }
    }
    PUT("seed=%lu", o->seed);
#undef PUT
    if (n >= cap && cap > 0) out[cap - 1] = '\0';
    return out;
}

/* one pair name=value into o */
static ob_status take(const ob_problem_type *T, char *pair, ob_problem_opts *o, ob_error *err)
{
    char *eq = strchr(pair, '='), *end;
    if (!eq) return ob_fail(err, OB_EDATA, "problem options: '%s' is not name=value", pair);
    *eq = '\0';
    const char *v = eq + 1;
    errno = 0;
    if (strcmp(pair, "seed") == 0) {
        unsigned long s = strtoul(v, &end, 10);
        if (*v == '\0' || *end || errno) goto bad;
        o->seed = s;
        return OB_OK;
    }
    const ob_problem_option *p = ob_problem_option_find(T, pair);
    if (!p)
        return ob_fail(err, OB_EDATA, "problem options: %s does not read '%s'", T->name, pair);
    void *f = (char *)o + p->field;
    switch (p->kind) {
    case OB_POK_COUNT: {
        unsigned long long c = strtoull(v, &end, 10);
        if (*v == '\0' || *end || errno) goto bad;
        *(size_t *)f = (size_t)c;
        return OB_OK;
    }
    case OB_POK_NUMBER:
        *(double *)f = strtod(v, &end);
        if (*v == '\0' || *end || errno) goto bad;
        return OB_OK;
    case OB_POK_FLAG: *(int *)f = strcmp(v, "0") != 0; return OB_OK;
    case OB_POK_TEXT: *(const char **)f = v; return OB_OK;
    case OB_POK_OFF:
        if (strcmp(v, "0") && strcmp(v, "1")) goto bad;
        *(int *)f = strcmp(v, "0") == 0;
        return OB_OK;
    }
bad:
    return ob_fail(err, OB_EDATA, "problem options: %s=%s is not a valid value", pair, v);
}

ob_status ob_problem_opts_parse(const ob_problem_type *T, const char *text, ob_problem_opts *o,
                                char *store, size_t cap, ob_error *err)
{
    memset(o, 0, sizeof *o);
    if (strlen(text) >= cap) return ob_fail(err, OB_EDATA, "problem options: too long");
    strcpy(store, text);
    for (char *pair = store; pair && *pair;) {
        char *next = strchr(pair, ';');
        if (next) *next++ = '\0';
        ob_status s = take(T, pair, o, err);
        if (s != OB_OK) return s;
        pair = next;
    }
    return OB_OK;
}
