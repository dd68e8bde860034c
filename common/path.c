/* path.c - file paths built with printf formats, and whether a table file is there (see
 * path.h). */
#include "common/path.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

char *ob_pathf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return out;
}

int ob_file_exists(const char *path)
{
    struct stat st;
    char gz[4096];
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return 1;
    /* or gzipped, X.csv.gz: the readers take both (common/csvread.h) */
    return (size_t)snprintf(gz, sizeof gz, "%s.gz", path) < sizeof gz && stat(gz, &st) == 0 &&
           S_ISREG(st.st_mode);
}
