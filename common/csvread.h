/* csvread.h - read a numeric CSV file (or a gzipped one, FILE.csv.gz) into a dense
 * row-major matrix (through libcsv and zlib).
 *
 * Accepted: comma-separated numbers (anything strtod reads, surrounding spaces allowed,
 * quoted or not), the same number of fields on every row, optionally a header row whose
 * cells are all non-numeric; the last line may end without a newline (a file people
 * write), but a row with fewer fields or a gzip stream cut short is refused.  Rows are counted as CSV records from 1, the header
 * included; blank lines are skipped and not counted. */
#ifndef OB_CSVREAD_H
#define OB_CSVREAD_H

#include <stddef.h>

#include "common/ob.h"

struct csv_parser;

/* The layer under every CSV reader (this file's and table.h's): the file at path (plain,
 * or gzipped: zlib reads both) fed to the libcsv parser p with the callbacks field and
 * row (data their last argument), a line at a time, so that *line (1-based) is the line
 * the parser is in when it calls back.  The parse stops early once *stop (a callback's
 * own status; NULL: never) is not OB_OK, and that status is returned.  *bytes: the
 * uncompressed bytes read.  A file cut short is bad data (OB_EDATA, naming the file and
 * line), as every file optbench writes ends whole: a gzip stream that ends before its
 * trailer (zlib: Z_BUF_ERROR), a non-empty file whose last line has no end of line
 * ('\n') when written is set (a file optbench wrote; a data set a person wrote may end
 * without one), an unterminated quote at the end.  Also OB_EIO (cannot open or read),
 * OB_EDATA for corrupt gzip data or CSV syntax the parser rejects.  Runs csv_fini; the
 * caller initializes and frees p. */
ob_status ob_csv_feed(const char *path, struct csv_parser *p,
                      void (*field)(void *, size_t, void *), void (*row)(int, void *),
                      void *data, size_t *line, const ob_status *stop, size_t *bytes,
                      int written, ob_error *err);

/* path when it exists, else path.gz when that exists (written to buf, cap bytes), else
 * path: every reader takes a table as X.csv or gzipped as X.csv.gz alike. */
const char *ob_csv_resolve(const char *path, char *buf, size_t cap);

/* The file may be gzipped (read through zlib; a plain file reads as it is).
 * On success *out is a malloc'ed (rows, cols) array, rows >= 1 and cols >= 1.
 * Errors name the file and, for malformed data, the row and column:
 *   OB_EIO   the file is missing or unreadable;
 *   OB_EDATA empty file, header only, ragged rows ("FILE: row 3 has 4 fields, expected 5"),
 *            a non-numeric or empty cell, a NaN/Inf cell, a first row that is partly
 *            numeric, CSV syntax libcsv rejects (an unterminated quote), a file cut
 *            short (ob_csv_feed: a gzip stream without its end);
 *   OB_ENOMEM out of memory.
 * On failure *out is NULL and *rows = *cols = 0. */
ob_status ob_csv_read_matrix(const char *path, double **out, size_t *rows, size_t *cols,
                             ob_error *err);

/* A data set for a regression or classification problem: feature columns, then the
 * target in the last column.  *A is (rows, d) with d = cols - 1 and *t the targets
 * (rows), both malloc'ed.  want_d (0: any) must equal d and d must be <= max_d; who names
 * the problem in messages ("lsq").  Errors as ob_csv_read_matrix, plus OB_EDATA for a file
 * with a single column, OB_EINVAL when want_d does not match. */
ob_status ob_csv_read_xy(const char *path, size_t want_d, size_t max_d, const char *who,
                         double **A, double **t, size_t *rows, size_t *d, ob_error *err);

#endif
