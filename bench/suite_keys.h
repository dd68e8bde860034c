/* suite_keys.h - the keys of a suite file (suite_file.h's format): what suite_file.c's
 * reader and handler call for each section header and each key. */
#ifndef OB_SUITE_KEYS_H
#define OB_SUITE_KEYS_H

#include "bench/bench.h"

typedef enum { OB_SEC_NONE, OB_SEC_SUITE, OB_SEC_WORKLOAD, OB_SEC_OPTIMIZER, OB_SEC_FIGURES } ob_suite_section;

/* includes nest at most this deep (a cycle is refused before) */
#define OB_SUITE_MAX_DEPTH 16

/* where a section or a list was read: the text (as messages name it), its line, and the
 * include depth of that text (0: the suite's own; 1: the text it includes; ...) */
typedef struct {
    const char *file;
    long line;
    int depth;
} ob_suite_at;

/* the longest line a suite file may have, in characters (without its newline) */
#define OB_SUITE_MAX_LINE (1 << 20)
/* an optimizer's lists make at most this many points (the product of their lengths) */
#define OB_SUITE_MAX_POINTS 10000
/* tuning = random N: at most this many trials */
#define OB_SUITE_MAX_TRIALS 10000

/* what the parser keeps of an optimizer beside the suite's ob_suite_optimizer */
typedef struct {
    ob_suite_at at;                /* its last [optimizer] header (line 0: none) */
    unsigned long long set;        /* the options its sections set */
    ob_suite_at key_at[64];        /* where option k was set last (set's bit k) */
    long key_seq[64];              /* and when: the parser's key count then */
    const char *list_file[OB_MAX_HP_LISTS]; /* the text of each list (lists[l].line: its line) */
    const char *range_file[OB_MAX_HP_LISTS]; /* and of each range (ranges[r].line) */
} ob_suite_opt_info;

/* what the parser keeps of a workload: where its header and the keys checked with the
 * whole suite were read (line 0: not given) */
typedef struct {
    ob_suite_at at;                /* its last [workload] header */
    ob_suite_at optimizers, batch;
} ob_suite_w_info;

typedef struct {
    const char *text, *file, *dir; /* dir: where relative paths start (NULL: as written) */
    size_t pos;                    /* the reader's place in text */
    long line;                     /* the line read last */
    int mid_line;                  /* the reader handed libinih part of the line only */
    long n_keys;                   /* the keys read so far, in all texts */
    int depth;                     /* the text's include depth (ob_suite_at) */
    const char *ids[OB_SUITE_MAX_DEPTH + 1]; /* the texts under way, the suite's own first:
                                              a built-in's name or a file's real path */
    char **names;                  /* (n_names) included files' names and ids, kept until */
    size_t n_names;                /* the parser is done (ob_suite_at.file points there) */
    ob_suite *S;                   /* its arrays are w and o below */
    ob_suite_section sec;          /* the section under way */
    size_t cur;                    /* its workload or optimizer */
    int have_suite;
    ob_suite_at suite_at;          /* the suite's own [suite] header */
    ob_suite_at figures_at;        /* [figures]' header (line 0: none) */
    ob_suite_at fig_size_at, fig_optimizers_at; /* where its size and optimizers were set */
    int suite_keys;                /* the keys read so far in the text's [suite] */
    int opt_depth;                 /* the depth of the text that set optimizers (-1: none) */
    size_t place;                  /* where the text's next new workload goes (SIZE_MAX: last) */
    int lists_before;              /* the lists the optimizer under way had before its section */
    ob_workload *w;                /* (nw) the workloads, in the suite's order */
    ob_suite_w_info *w_info;       /* (nw) where their headers and keys were read */
    ob_suite_at grid_at[2];        /* the last of lr-from/lr-to, of net-lr-from/net-lr-to */
    ob_suite_optimizer *o;         /* (no) the optimizers, in [suite]'s order */
    ob_suite_opt_info *o_info;     /* (no) */
    int failed;
    long err_line;                 /* the failure's line in the text under way */
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

/* suite_file.c: [suite] include = NAME|FILE, read in place (the first key of [suite]) */
ob_status ob_suite_include(ob_suite_parser *p, const char *value);
/* messages name where a: p's file and line become a's */
void ob_suite_goto(ob_suite_parser *p, ob_suite_at a);
/* where the parser is: its text, line and include depth */
ob_suite_at ob_suite_here(const ob_suite_parser *p);

/* the suite's optimizer that name means (its name, or its plugin's path as a suite file
 * lists it: relative from the directory of the text under way), or -1 */
long ob_suite_optimizer_index(ob_suite_parser *p, const char *name);

/* suite_optimizer.c: [suite]'s optimizers = ... (names, `all`, plugins' paths), an
 * [optimizer NAME] section opened and its keys, and the checks and tuning points of
 * optimizer i once the file is read */
ob_status ob_suite_optimizers(ob_suite_parser *p, const char *v);
ob_status ob_suite_open_optimizer(ob_suite_parser *p, const char *name);
ob_status ob_suite_optimizer_key(ob_suite_parser *p, const char *key, const char *v);
ob_status ob_suite_finish_optimizer(ob_suite_parser *p, size_t i);
/* the suite's tuning against its optimizers' sections: a range needs tuning = random N,
 * which takes no list (a list is a grid) */
ob_status ob_suite_check_tuning(ob_suite_parser *p);

/* suite_workload.c: a key of [workload NAME], and the checks of workload i as a whole */
ob_status ob_suite_workload_key(ob_suite_parser *p, ob_workload *w, const char *key,
                                const char *v);
ob_status ob_suite_workload_finish(ob_suite_parser *p, size_t i);

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
