/* csvout.c - atomic CSV writer (see csvout.h). */
#include "common/csvout.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/dtoa.h"

#define OB_CSV_BUFSIZE (1 << 16)

ob_status ob_csv_open(ob_csv *w, const char *path, ob_error *err)
{
    memset(w, 0, sizeof *w);
    w->first = 1;
    size_t len = strlen(path);
    w->path = malloc(len + 1);
    w->tmp = malloc(len + 16);
    w->buf = malloc(OB_CSV_BUFSIZE);
    if (!w->path || !w->tmp || !w->buf) {
        ob_csv_abort(w);
        return ob_fail(err, OB_ENOMEM, "out of memory opening %s", path);
    }
    memcpy(w->path, path, len + 1);
    snprintf(w->tmp, len + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(w->tmp);
    if (fd < 0) {
        int e = errno;
        free(w->tmp);
        w->tmp = NULL;
        ob_csv_abort(w);
        return ob_fail(err, OB_EIO, "cannot write %s: %s", path, strerror(e));
    }
    /* mkstemp creates the file 0600; give it the mode an ordinary file would get */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    w->fp = fdopen(fd, "w");
    if (!w->fp) {
        close(fd);
        ob_csv_abort(w);
        return ob_fail(err, OB_EIO, "cannot write %s: %s", path, strerror(errno));
    }
    setvbuf(w->fp, w->buf, _IOFBF, OB_CSV_BUFSIZE);
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
    int bad = w->failed || fflush(w->fp) != 0 || ferror(w->fp) || fsync(fileno(w->fp)) != 0;
    int e = errno;
    if (fclose(w->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    w->fp = NULL;
    if (!bad && rename(w->tmp, w->path) != 0) {
        bad = 1;
        e = errno;
    }
    ob_status s = OB_OK;
    if (bad) s = ob_fail(err, OB_EIO, "cannot write %s: %s", w->path, strerror(e));
    if (!bad) {
        free(w->tmp);
        w->tmp = NULL;
    }
    ob_csv_abort(w);
    return s;
}

void ob_csv_abort(ob_csv *w)
{
    if (w->fp) fclose(w->fp);
    if (w->tmp) unlink(w->tmp);
    free(w->tmp);
    free(w->path);
    free(w->buf);
    memset(w, 0, sizeof *w);
}
