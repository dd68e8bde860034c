/* table.h - a CSV file with a header row, read whole through libcsv, cells as text.
 * For the result tables (whose cells mix names and numbers); numeric matrices use
 * csvread.h. */
#ifndef OB_TABLE_H
#define OB_TABLE_H

#include <stddef.h>

#include "common/ob.h"

typedef struct {
    size_t rows, cols;   /* data rows (the header excluded), columns */
    char **head;         /* (cols) column names */
    char **cell;         /* (rows, cols) row-major; an empty cell is "" */
} ob_table;

/* path or, when it does not exist, path.gz (gzipped tables read alike: csvread.h).
 * OB_EIO when the file cannot be read, OB_EDATA when it has no header, bad CSV, or is cut
 * short: a row with fewer fields than the header (an empty cell is a field), a gzip
 * stream without its end, a last line without its end of line (ob_csv_feed); the message
 * names the file and the line.  A longer row's extra cells are dropped. */
ob_status ob_table_read(const char *path, ob_table *t, ob_error *err);
/* What ob_table_read checks, without keeping the cells: OB_OK when path (or path.gz)
 * reads whole. */
ob_status ob_table_check(const char *path, ob_error *err);
void ob_table_free(ob_table *t);
/* ob_table_read of dir/rel */
ob_status ob_read_table(const char *dir, const char *rel, ob_table *t, ob_error *err);

/* The index of column name, or -1. */
int ob_table_col(const ob_table *t, const char *name);
/* Cell (r, c) as text ("" when c < 0). */
const char *ob_table_str(const ob_table *t, size_t r, int c);
/* Cell (r, c) as a number: NaN when empty, absent or not a number ("inf" reads as inf). */
double ob_table_num(const ob_table *t, size_t r, int c);
/* The distinct values of column col in order of first appearance: fills out with up to
 * cap pointers into t and returns how many it filled. */
size_t ob_table_distinct(const ob_table *t, int col, const char **out, size_t cap);
/* Rows i of t whose column col equals val, in file order; returns how many (<= cap). */
size_t ob_rows_where(const ob_table *t, int col, const char *val, size_t *idx, size_t cap);

#endif
