/* csvout.h - CSV files written atomically through libcsv.
 *
 * The file is opened through outfile.h: a temporary file beside a regular target, renamed
 * into place on ob_csv_commit(); ob_csv_abort() (or a failure) removes it, so a reader
 * never sees a half-written file.  "-" is standard output; a FIFO or a device is written
 * in place; missing parent directories are created.  Text fields are quoted by libcsv when they need it; numbers are
 * written as the shortest decimal that reads back exactly (at most 17 significant
 * digits, see dtoa.h). */
#ifndef OB_CSVOUT_H
#define OB_CSVOUT_H

#include <stdio.h>

#include "common/ob.h"
#include "common/outfile.h"

typedef struct {
    FILE *fp;       /* out.fp */
    ob_outfile out;
    int first;      /* no field written yet on this row */
    int failed;
    char *buf;      /* stdio buffer */
} ob_csv;

/* Opens path (see outfile.h); on failure err names the path. */
ob_status ob_csv_open(ob_csv *w, const char *path, ob_error *err);
void ob_csv_text(ob_csv *w, const char *s);      /* a text field (escaped by libcsv) */
void ob_csv_num(ob_csv *w, double v);            /* shortest exact decimal */
void ob_csv_int(ob_csv *w, long v);
void ob_csv_end_row(ob_csv *w);
/* Flushes, syncs and renames into place.  On failure removes the temporary file. */
ob_status ob_csv_commit(ob_csv *w, ob_error *err);
void ob_csv_abort(ob_csv *w);

#endif
