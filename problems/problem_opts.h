/* problem_opts.h - a problem instance's options as one line of text, so that a run's
 * summary names the instance it ran on and a figure can create it again (the contour of
 * `optbench plot FILE.csv` evaluates f over a box fitted to the paths).
 *
 * The text is "name=value" pairs separated by ';', with the command line's option names
 * (`--kappa 100 --rotate` is "kappa=100;rotate=1"), options left at their default left out,
 * and the instance's random seed always last: "kappa=100;rotate=1;seed=1". */
#ifndef OB_PROBLEM_OPTS_H
#define OB_PROBLEM_OPTS_H

#include <stddef.h>

#include "problems/problem.h"

/* The options o of problem T as text into out (cap bytes); returns out. */
char *ob_problem_opts_format(const ob_problem_type *T, const ob_problem_opts *o, char *out,
                             size_t cap);

/* Parses text (as ob_problem_opts_format writes it) into o (zeroed first).  Text values
 * (--data) point into store, a copy of text of cap bytes that must outlive o.  OB_EDATA
 * naming the pair when a name is not one of T's options or a value does not parse. */
ob_status ob_problem_opts_parse(const ob_problem_type *T, const char *text, ob_problem_opts *o,
                                char *store, size_t cap, ob_error *err);

#endif
