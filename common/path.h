/* path.h - file paths built with printf formats, and whether a table file is there. */
#ifndef OB_PATH_H
#define OB_PATH_H

#include <stddef.h>

/* snprintf into out; returns out. */
char *ob_pathf(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 1 when path, or path.gz (the readers take both, common/csvread.h), is a regular file */
int ob_file_exists(const char *path);

#endif
