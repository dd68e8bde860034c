/* csvout.c - atomic CSV writer (see csvout.h). */
#include "common/csvout.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "common/dtoa.h"

#define OB_CSV_BUFSIZE (1 << 16)

ob_status ob_csv_open(ob_csv *w, const char *path, ob_error *err)
{
    memset(w, 0, sizeof *w);
    w->first = 1;
    w->buf = malloc(OB_CSV_BUFSIZE);
    if (!w->buf) return ob_fail(err, OB_ENOMEM, "out of memory opening %s", path);
    ob_status s = ob_outfile_open(&w->out, path, err);
    if (s != OB_OK) {
        free(w->buf);
        w->buf = NULL;
        return s;
    }
    w->fp = w->out.fp;
    if (!w->out.is_stdout) setvbuf(w->fp, w->buf, _IOFBF, OB_CSV_BUFSIZE);
    return OB_OK;
}

static void sep(ob_csv *w)
{
    if (!w->first) putc(',', w->fp);
    w->first = 0;
}

void ob_csv_text(ob_csv *w, const char *s)
{
    sep(w);
    /* libcsv quotes always; plain names (the common case) are written as they are */
    if (strpbrk(s, ",\"\r\n") || *s == ' ') {
        if (csv_fwrite(w->fp, s, strlen(s)) != 0) w->failed = 1;
    } else {
        fputs(s, w->fp);
    }
}

void ob_csv_num(ob_csv *w, double v)
{
    char buf[OB_DTOA_MAX + 1];
    size_t n = 0;
    if (!w->first) buf[n++] = ',';
    w->first = 0;
    n += ob_dtoa(v, buf + n);
    fwrite(buf, 1, n, w->fp);
}

void ob_csv_int(ob_csv *w, long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do *--p = (char)('0' + u % 10); while (u /= 10);
    if (v < 0) *--p = '-';
    if (!w->first) *--p = ',';
    w->first = 0;
    fwrite(p, 1, (size_t)(buf + sizeof buf - p), w->fp);
}

void ob_csv_end_row(ob_csv *w)
{
    putc('\n', w->fp);
    w->first = 1;
}

ob_status ob_csv_commit(ob_csv *w, ob_error *err)
{
    ob_status s;
    if (w->failed) {
        s = ob_fail(err, OB_EIO, "cannot write %s: a field could not be written", w->out.path);
        ob_outfile_abort(&w->out);
    } else {
        s = ob_outfile_commit(&w->out, err);
    }
    free(w->buf);
    memset(w, 0, sizeof *w);
    return s;
}

void ob_csv_abort(ob_csv *w)
{
    ob_outfile_abort(&w->out);
    free(w->buf);
    memset(w, 0, sizeof *w);
}
