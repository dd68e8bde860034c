/* gnuplot.c - the pipe to gnuplot and the figure placed as every output is (see gnuplot.h). */
#include "plots/gnuplot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/interrupt.h"
#include "common/outfile.h"

char *ob_gnuplot_quote(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; *s && k + 2 < cap; s++) {
        if (*s == '"' || *s == '\\') out[k++] = '\\';
        out[k++] = *s;
    }
    out[k] = '\0';
    return out;
}

int ob_gnuplot_available(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path) return 0;
    char dir[4096];
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n > 0 && n + 10 < sizeof dir) {
            memcpy(dir, path, n);
            strcpy(dir + n, "/gnuplot");
            if (access(dir, X_OK) == 0) return 1;
        }
        path += n;
        if (*path == ':') path++;
    }
    return 0;
}

const char *ob_gnuplot_ext(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

void ob_gnuplot_terminal(FILE *gp, const char *path, int width, int height, int delay)
{
    const char *ext = ob_gnuplot_ext(path);
    if (strcmp(ext, "svg") == 0) /* pixels as SVG user units; the fonts of pngcairo */
        fprintf(gp, "set terminal svg size %d,%d dynamic enhanced font 'DejaVu Sans,11' "
                    "background '#ffffff'\n", width, height);
    else if (strcmp(ext, "pdf") == 0) /* cairo draws a pixel as a point: 72 per inch */
        fprintf(gp, "set terminal pdfcairo size %.3fin,%.3fin enhanced font 'DejaVu Sans,11'\n",
                width / 72.0, height / 72.0);
    else if (strcmp(ext, "gif") == 0) /* libgd's animated GIF: one frame per plot command */
        fprintf(gp, "set terminal gif animate delay %d loop 0 optimize size %d,%d "
                    "enhanced font 'DejaVu Sans,10'\n", delay > 0 ? delay : 10, width, height);
    else
        fprintf(gp, OB_PNG_TERMINAL_FMT, width, height);
}

ob_status ob_gnuplot_png(const char *png, const char *body, ob_error *err)
{
    return ob_gnuplot_png_size(png, 960, 640, body, err);
}

ob_status ob_gnuplot_png_size(const char *png, int width, int height, const char *body,
                              ob_error *err)
{
    return ob_gnuplot_gif(png, width, height, 0, body, err);
}

/* s single-quoted for sh into out; returns out */
static char *sh_quote(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    out[k++] = '\'';
    for (; *s && k + 6 < cap; s++) {
        if (*s == '\'') {
            memcpy(out + k, "'\\''", 4);
            k += 4;
        } else {
            out[k++] = *s;
        }
    }
    out[k++] = '\'';
    out[k] = '\0';
    return out;
}

/* gnuplot's messages (log) onto our stderr, less the line its GIF driver always prints */
static void forward_log(const char *log)
{
    FILE *f = fopen(log, "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f))
        if (!strstr(line, "frames in animation sequence")) fputs(line, stderr);
    if (f) fclose(f);
    unlink(log);
}

static void untrack(const int *held, int n)
{
    for (int k = 0; k < n; k++) ob_interrupt_untrack(held[k]);
}

/* Finishes the script f (its head written): body, then tail; runs gnuplot on it with its
 * standard error into log, removes the script and forwards the log.  Returns gnuplot's
 * wait status (-1: not run), or -2 when the script could not be written. */
static int run_script(FILE *f, const char *script, const char *log, const char *body,
                      const char *tail)
{
    char q[8500], q2[8500], cmd[17100];
    fputs(body, f);
    fputs(tail, f);
    int werr = ferror(f);
    if (fclose(f) != 0 || werr) {
        unlink(script);
        return -2;
    }
    snprintf(cmd, sizeof cmd, "gnuplot %s 2>%s", sh_quote(script, q, sizeof q),
             sh_quote(log, q2, sizeof q2));
    fflush(NULL); /* nothing of ours may be written twice by the child */
    FILE *gp = popen(cmd, "w");
    int rc = gp ? pclose(gp) : -1;
    unlink(script);
    forward_log(log);
    return rc;
}

/* gnuplot's wait status rc as a failure drawing what */
static ob_status gnuplot_failed(int rc, const char *verb, const char *what, ob_error *err)
{
    if (rc == -2) return ob_fail(err, OB_EIO, "cannot write the gnuplot script for %s", what);
    return ob_fail(err, OB_EIO, "gnuplot failed %s %s%s", verb, what,
                   WIFEXITED(rc) && WEXITSTATUS(rc) == 127 ? " (gnuplot is not installed)" : "");
}

const char *ob_gnuplot_near(const char *out, char *buf, size_t cap)
{
    return ob_out_in_place(out) && ob_out_temp_path(out, "scratch", buf, cap) ? buf : out;
}

ob_status ob_gnuplot_gif(const char *png, int width, int height, int delay, const char *body,
                         ob_error *err)
{
    char tmp[4200], log[4200], script[4200], q[8500];
    struct stat st;
    if (*png == '\0') return ob_fail(err, OB_EINVAL, "empty output path");
    if (stat(png, &st) == 0 && S_ISDIR(st.st_mode)) /* refused before gnuplot runs */
        return ob_fail(err, OB_EINVAL, "cannot write %s: it is a directory (give a file name)",
                       png);
    /* gnuplot writes the figure to a temporary file, placed by common/outfile.c's rules:
     * renamed onto a regular (or new) target, copied into a FIFO or a device */
    if (!ob_out_temp_path(png, "tmp", tmp, sizeof tmp) ||
        !ob_out_temp_path(png, "log", log, sizeof log) ||
        !ob_out_temp_path(png, "gp", script, sizeof script))
        return ob_fail(err, OB_EINVAL, "path too long: %s", png);
    /* an interrupt that ends the process removes them (common/interrupt.h) */
    int held[3] = {ob_interrupt_track(tmp), ob_interrupt_track(log), ob_interrupt_track(script)};
    /* the script goes to a file that gnuplot reads: fed through a pipe, gnuplot reads its
     * standard input a byte at a time, a system call each (half a second of a 1 MB script) */
    FILE *f = fopen(script, "w");
    if (!f) {
        ob_status s = ob_fail(err, OB_EIO, "cannot write %s: %s", png, strerror(errno));
        untrack(held, 3);
        return s;
    }
    fputs("set encoding utf8\n", f);
    ob_gnuplot_terminal(f, png, width, height, delay);
    fprintf(f, "set output \"%s\"\n", ob_gnuplot_quote(tmp, q, sizeof q));
    int rc = run_script(f, script, log, body, "\nunset output\n");
    ob_status s;
    if (rc < 0 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
        s = gnuplot_failed(rc, "drawing", png, err);
        unlink(tmp);
    } else {
        s = ob_outfile_place(tmp, png, err);
    }
    untrack(held, 3);
    return s;
}

ob_status ob_gnuplot_run(const char *near, const char *body, ob_error *err)
{
    static unsigned long serial; /* distinct names for the threads of one process */
    unsigned long me;
#pragma omp atomic capture
    me = ++serial;
    char script[4200], log[4200];
    snprintf(script, sizeof script, "%s.gp.%ld.%lu", near, (long)getpid(), me);
    snprintf(log, sizeof log, "%s.log.%ld.%lu", near, (long)getpid(), me);
    FILE *f = fopen(script, "w");
    if (!f) return ob_fail(err, OB_EIO, "cannot write %s: %s", script, strerror(errno));
    int held[2] = {ob_interrupt_track(script), ob_interrupt_track(log)};
    fputs("set terminal unknown\n", f);
    int rc = run_script(f, script, log, body, "");
    untrack(held, 2);
    if (rc < 0 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
        return gnuplot_failed(rc, "writing", near, err);
    return OB_OK;
}
