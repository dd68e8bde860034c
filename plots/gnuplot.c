/* gnuplot.c - the pipe to gnuplot and the atomic PNG (see gnuplot.h). */
#include "plots/gnuplot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

ob_status ob_gnuplot_png(const char *png, const char *body, ob_error *err)
{
    return ob_gnuplot_png_size(png, 960, 640, body, err);
}

ob_status ob_gnuplot_png_size(const char *png, int width, int height, const char *body,
                              ob_error *err)
{
    size_t len = strlen(png);
    char *tmp = malloc(len + 32), q[4096];
    if (!tmp) return ob_fail(err, OB_ENOMEM, "out of memory");
    snprintf(tmp, len + 32, "%s.tmp.%ld", png, (long)getpid());
    fflush(NULL); /* nothing of ours may be written twice by the child */
    FILE *gp = popen("gnuplot", "w");
    if (!gp) {
        free(tmp);
        return ob_fail(err, OB_EIO, "cannot start gnuplot: %s", strerror(errno));
    }
    fputs("set encoding utf8\n", gp);
    fprintf(gp, OB_PNG_TERMINAL_FMT, width, height);
    fprintf(gp, "set output \"%s\"\n", ob_gnuplot_quote(tmp, q, sizeof q));
    fputs(body, gp);
    fputs("\nunset output\n", gp);
    int rc = pclose(gp);
    ob_status s = OB_OK;
    if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
        s = ob_fail(err, OB_EIO, "gnuplot failed drawing %s%s", png,
                    WIFEXITED(rc) && WEXITSTATUS(rc) == 127 ? " (gnuplot is not installed)" : "");
        unlink(tmp);
    } else if (rename(tmp, png) != 0) {
        s = ob_fail(err, OB_EIO, "cannot write %s: %s", png, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return s;
}

ob_status ob_plot_rate(const char *csv, const char *png, const char *title, long n0,
                       double mean0, ob_error *err)
{
    char body[4096], qc[1024], qt[512];
    ob_gnuplot_quote(csv, qc, sizeof qc);
    ob_gnuplot_quote(title, qt, sizeof qt);
    snprintf(body, sizeof body,
             "set datafile separator comma\n"
             "set logscale xy\n"
             "set format x '10^{%%L}'\n"
             "set format y '10^{%%L}'\n"
             "set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
             "set title \"%s\"\n"
             "set xlabel 'N (steps; SGD with constant step 1/(L sqrt(N)))'\n"
             "set ylabel '(1/N) Σ_{t<N} ‖∇f(θ_t)‖^2'\n"
             "set key top right box opaque\n"
             "ref(x) = %.17g * (x / %ld.0)**(-0.5)\n"
             "plot \"%s\" using 'N':'min':'max' with filledcurves lc rgb '#bcd4ee' "
             "title 'spread over runs (min-max)', \\\n"
             "     '' using 'N':'mean_avg_sq_grad':'stderr' with yerrorlines lw 2 pt 7 "
             "lc rgb '#1f4e9a' title 'measured mean ± s.e.', \\\n"
             "     '' using 'N':'bound' with linespoints lw 2 dt 2 pt 5 lc rgb '#c0392b' "
             "title 'bound (2L(f(θ_0)-f*)+σ^2)/√N', \\\n"
             "     ref(x) with lines lw 1 dt 3 lc rgb '#555555' title 'slope -1/2 (reference)'\n",
             qt, mean0, n0, qc);
    return ob_gnuplot_png(png, body, err);
}
