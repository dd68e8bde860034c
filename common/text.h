/* text.h - small text chores shared by the figures and the report: a whole file read
 * into a string, and a string written as an HTML attribute's value. */
#ifndef OB_TEXT_H
#define OB_TEXT_H

#include <stdio.h>

/* The whole file at path as a NUL-terminated string (malloc'd; the caller frees it), or
 * NULL when it cannot be read or memory runs out. */
char *ob_read_text(const char *path);

/* s onto f with &, <, > and " escaped: the value of an HTML attribute in double quotes. */
void ob_html_attr(FILE *f, const char *s);

#endif
