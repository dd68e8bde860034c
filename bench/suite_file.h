/* suite_file.h - a benchmark suite from INI text (libinih), the format of the built-in
 * suites (bench/suites/NAME.ini) and of `optbench bench --suite FILE`:
 *
 *   [suite]                       include (first), name, seeds, net-seeds, lr-from, lr-to,
 *                                 lr-per-decade, net-lr-from, net-lr-to, net-lr-per-decade,
 *                                 rate-max-n, rate-seeds, optimizers (names, plugin paths,
 *                                 or all), targets (1 to 3, decreasing, in (0, 1)), gzip
 *   [workload NAME]               problem = P and P's options (dim, kappa, ...), steps,
 *                                 noise, batch (the oracle every optimizer on it
 *                                 receives: bench.h), instance-seed, optimizers; or
 *                                 network = N, epochs, tune-epochs, batch, subset (N or
 *                                 all), l1, l2, dropout
 *   [optimizer NAME]              fixed hyperparameters: the rule's options (beta1 = 0.95)
 *
 * The lr grids are where tuning starts: a choice at an edge extends the grid past it
 * (bench/tuning.h: the same spacing, at most 6 rates a side, lr within [1e-8, 1e3]).
 *
 * [suite] comes first; a workload's first key is problem or network.  Every error is one
 * line, "FILE:LINE: ...", naming the key and what is accepted (FILE: the included file
 * when the error is in one).
 *
 * include = NAME|FILE, the first key of [suite], makes the suite another one with
 * changes: a built-in suite's name, else a suite file (relative to the directory of the
 * file that includes it).  The included [suite] keys apply but its name, then this file's
 * keys change them (optimizers = ... replaces the list; an optimizer on both keeps its
 * included [optimizer] settings).  A [workload NAME] or [optimizer NAME] section whose
 * NAME the included suite has changes the keys it gives and keeps the rest (and, for a
 * workload, its place); a new workload goes after the workload of the previous
 * [workload] section, or last.  Includes nest; a cycle is an error. */
#ifndef OB_SUITE_FILE_H
#define OB_SUITE_FILE_H

#include "bench/bench.h"

/* Parses text into *S (malloc'ed; ob_suite_free).  file names the text in messages, dir
 * is where relative paths in it (plugins, data files, an included file) start (NULL: as
 * written), source is what --suite names the suite by (NULL: its name).  S->text is text
 * as given (an include stays a line of it). */
ob_status ob_suite_parse(const char *text, const char *file, const char *dir,
                         const char *source, ob_suite **S, ob_error *err);

/* Reads and parses the file at path. */
ob_status ob_suite_load(const char *path, ob_suite **S, ob_error *err);

void ob_suite_free(ob_suite *S);

/* The built-in suites' texts: the files bench/suites/NAME.ini as C strings, written at
 * build time into $(BUILD)/bench/suites.c (bench/suites/embed.awk), in the files' name
 * order, ending with {NULL, NULL}.  suite.c's registry reads them. */
typedef struct {
    const char *name, *text;
} ob_suite_embedded;
extern const ob_suite_embedded ob_suite_embedded_texts[];

#endif
