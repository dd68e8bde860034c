/* suite_keys.h - the keys of a suite file (suite_file.h's format): what suite_file.c's
 * reader and handler call for each section header and each key. */
#ifndef OB_SUITE_KEYS_H
#define OB_SUITE_KEYS_H

#include "bench/bench.h"

typedef enum { OB_SEC_NONE, OB_SEC_SUITE, OB_SEC_WORKLOAD, OB_SEC_OPTIMIZER } ob_suite_section;

typedef struct {
    const char *text, *file, *dir; /* dir: where relative paths start (NULL: as written) */
    size_t pos;                    /* the reader's place in text */
    long line;                     /* the line read last */
    ob_suite *S;                   /* its arrays are w and o below */
    ob_suite_section sec;          /* the section under way */
    long sec_line;                 /* its header's line */
    size_t cur;                    /* its workload or optimizer */
    int have_suite;
    long suite_line;               /* [suite]'s header line */
    ob_workload *w;                /* (nw) the workloads, in the file's order */
    long *w_line;                  /* (nw) their headers' lines */
    ob_suite_optimizer *o;         /* (no) the optimizers, in [suite]'s order */
    long *o_line;                  /* (no) their [optimizer] headers' lines (0: none) */
    unsigned long long *o_set;     /* (no) the options each [optimizer] section set */
    int failed;
    long err_line;
    ob_error *err;
} ob_suite_parser;

/* Records "FILE:LINE: message" (the first failure only); returns OB_EINVAL. */
ob_status ob_suite_fail(ob_suite_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void ob_suite_defaults(ob_suite_parser *p);                 /* the [suite] keys not given */
ob_status ob_suite_open_section(ob_suite_parser *p, const char *header);
ob_status ob_suite_key(ob_suite_parser *p, const char *key, const char *value);
ob_status ob_suite_finish(ob_suite_parser *p);              /* what needs the whole file */
void ob_suite_parser_done(ob_suite_parser *p);              /* frees the parser's own arrays */

/* suite_workload.c: a key of [workload NAME], and the checks of a whole workload */
ob_status ob_suite_workload_key(ob_suite_parser *p, ob_workload *w, const char *key,
                                const char *v);
ob_status ob_suite_workload_finish(ob_suite_parser *p, const ob_workload *w);

/* values, checked, with the key and what is accepted in the message */
ob_status ob_suite_number(ob_suite_parser *p, const char *key, const char *v, double lo,
                          double *out);           /* a finite number >= lo */
ob_status ob_suite_whole(ob_suite_parser *p, const char *key, const char *v, double lo,
                         double hi, long *out);   /* a whole number in [lo, hi] */
ob_status ob_suite_flag(ob_suite_parser *p, const char *key, const char *v, int *out);
ob_status ob_suite_text(ob_suite_parser *p, const char *v, const char **out); /* strdup */
/* a path: as written when absolute, else from the suite file's directory */
ob_status ob_suite_path(ob_suite_parser *p, const char *v, const char **out);

#endif
