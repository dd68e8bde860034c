/* names.h - lists of names as messages show them: "a, b, c", and the "accepted: a, b, c"
 * of every message that refuses a name or a word.  The one place such a list is
 * formatted: callers hand over a NULL-terminated list of names (a registry's, through
 * OB_NAMES_OF) instead of writing the loop. */
#ifndef OB_NAMES_H
#define OB_NAMES_H

#include <stddef.h>

/* The most names OB_NAMES_OF collects (a registry's names, plus the NULL). */
#define OB_NAMES_MAX 64

/* The names of a NULL-terminated list joined by sep into buf, truncated to cap - 1
 * characters (always terminated; cap >= 1); returns buf. */
const char *ob_names_join(char *buf, size_t cap, const char *const *names, const char *sep);

/* "accepted: a, b, c" into buf (as ob_names_join); returns buf. */
const char *ob_accepted(char *buf, size_t cap, const char *const *names);

/* Fills the array names (const char *names[N]) with the names of a registry: a
 * NULL-terminated array of pointers to structs with a `name` member (ob_optimizer_types,
 * ob_problem_types, ob_net_presets, ...), then a NULL (at most N - 1 names). */
#define OB_NAMES_OF(names, registry)                                                        \
    do {                                                                                    \
        size_t i_ = 0;                                                                      \
        for (; (registry)[i_] && i_ + 1 < sizeof(names) / sizeof *(names); i_++)            \
            (names)[i_] = (registry)[i_]->name;                                             \
        (names)[i_] = NULL;                                                                 \
    } while (0)

#endif
