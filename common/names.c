/* names.c - lists of names as messages show them (see names.h). */
#include "common/names.h"

#include <string.h>

const char *ob_names_join(char *buf, size_t cap, const char *const *names, const char *sep)
{
    size_t len = 0, sl = strlen(sep);
    buf[0] = '\0';
    for (size_t k = 0; names[k]; k++) {
        const char *parts[2] = {k ? sep : "", names[k]};
        size_t lens[2] = {k ? sl : 0, strlen(names[k])};
        for (int j = 0; j < 2; j++) {
            size_t n = lens[j] < cap - 1 - len ? lens[j] : cap - 1 - len;
            memcpy(buf + len, parts[j], n);
            len += n;
        }
        buf[len] = '\0';
    }
    return buf;
}

const char *ob_accepted(char *buf, size_t cap, const char *const *names)
{
    static const char head[] = "accepted: ";
    if (cap <= sizeof head) return buf[0] = '\0', buf; /* no room for a name anyway */
    memcpy(buf, head, sizeof head);
    ob_names_join(buf + sizeof head - 1, cap - (sizeof head - 1), names, ", ");
    return buf;
}
