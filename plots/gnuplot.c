/* gnuplot.c - the pipe to gnuplot and the figure placed as every output is (see gnuplot.h). */
#include "plots/gnuplot.h"

#include "common/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/interrupt.h"
#include "common/outfile.h"
#include "plots/figopts.h"

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

/* The body text's size: the terminals' font is DejaVu Sans 11, which recipes' own fonts
 * (',13' titles) are relative to, and fontscale takes every one of them to the size asked
 * (figopts.h) in proportion. */
#define OB_FONT_POINTS 11.0
#define OB_PDF_FONT_POINTS 10.0 /* a pdf's text at its default size: a 6.4 in page, 10 pt */

void ob_gnuplot_terminal(FILE *gp, const char *path, int width, int height, int delay)
{
    const ob_fig_options *o = ob_fig_options_get();
    const char *ext = ob_gnuplot_ext(path);
    double w_in, h_in;
    ob_fig_page_inches(o, width, height, &w_in, &h_in);
    if (strcmp(ext, "svg") == 0) { /* user units: pixels, or with a size 72 a inch (points) */
        int w = width, h = height;
        /* in pixels, the type of pngcairo, which sets it at 96 dpi (pango's): a point is
         * 4/3 pixel, so that an svg shows what the png does (tests/figlint.sh reads it) */
        double px_per_pt = 96.0 / 72.0;
        if (o->has_size) w = (int)lround(w_in * 72), h = (int)lround(h_in * 72), px_per_pt = 1;
        fprintf(gp, "set terminal svg size %d,%d dynamic enhanced font 'DejaVu Sans,11' "
                    "fontscale %.4f background '#ffffff'\n", w, h,
                ob_fig_font_points(o, OB_FONT_POINTS) / OB_FONT_POINTS * px_per_pt);
    } else if (strcmp(ext, "pdf") == 0) { /* a page of w_in x h_in inches */
        fprintf(gp, "set terminal pdfcairo size %.4fin,%.4fin enhanced font 'DejaVu Sans,11' "
                    "fontscale %.4f\n", w_in, h_in,
                ob_fig_font_points(o, OB_PDF_FONT_POINTS) / OB_FONT_POINTS);
    } else if (strcmp(ext, "tex") == 0) { /* FILE.tex (the text, typeset by LaTeX) over FILE.pdf */
        double pt = ob_fig_font_points(o, OB_PDF_FONT_POINTS);
        fprintf(gp, "set terminal cairolatex pdf size %.4fin,%.4fin color font 'DejaVu Sans,11' "
                    "fontscale %.4f", w_in, h_in, pt / OB_FONT_POINTS);
        if (o->font_size > 0) /* the labels at that size; otherwise the document's */
            fprintf(gp, " header '\\fontsize{%g}{%g}\\selectfont'", pt, pt * 1.2);
        fputc('\n', gp);
    } else if (strcmp(ext, "gif") == 0) { /* libgd's animated GIF: one frame per plot command */
        fprintf(gp, "set terminal gif animate delay %d loop 0 optimize size %d,%d "
                    "enhanced font 'DejaVu Sans,10'\n", delay > 0 ? delay : 10, width, height);
    } else { /* pngcairo draws a point as a pixel */
        int w, h;
        ob_fig_canvas_pixels(o, width, height, &w, &h);
        if (o->font_size > 0)
            fprintf(gp, "set terminal pngcairo size %d,%d enhanced font 'DejaVu Sans,11' "
                        "fontscale %.4f\n", w, h, o->font_size / OB_FONT_POINTS);
        else
            fprintf(gp, OB_PNG_TERMINAL_FMT, w, h);
    }
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

/* ---- --format tex: gnuplot's cairolatex writes the text into FILE.tex as LaTeX, verbatim,
 * and the drawing into FILE.pdf, which FILE.tex includes by the name it was written as.
 * The labels optbench writes are gnuplot's enhanced text (10^{-3}, f_{t<N}) with a few
 * Unicode symbols: they are made LaTeX here, and the include names the final FILE. ---- */

/* Unicode symbols of the recipes' labels and their LaTeX: math ones without the $ */
static const struct {
    const char *utf8, *tex;
    int math;
} tex_symbols[] = {
    {"θ", "\\theta", 1}, {"σ", "\\sigma", 1},  {"τ", "\\tau", 1},     {"κ", "\\kappa", 1},
    {"β", "\\beta", 1},  {"α", "\\alpha", 1},  {"η", "\\eta", 1},     {"λ", "\\lambda", 1},
    {"γ", "\\gamma", 1}, {"ε", "\\epsilon", 1}, {"δ", "\\delta", 1},  {"Δ", "\\Delta", 1},
    {"μ", "\\mu", 1},    {"µ", "\\mu", 1},     {"Σ", "\\Sigma", 1},   {"∇", "\\nabla", 1},
    {"∞", "\\infty", 1}, {"‖", "\\|", 1},      {"√", "\\surd", 1},    {"×", "\\times", 1},
    {"±", "\\pm", 1},    {"≤", "\\leq", 1},    {"≥", "\\geq", 1},     {"→", "\\rightarrow", 1},
    {"·", "\\cdot", 1},  {"−", "-", 1},        {"²", "^{2}", 1},      {"¹", "^{1}", 1},
    {"⁻", "^{-}", 1},    {"₀", "_{0}", 1},     {"₁", "_{1}", 1},      {"–", "--", 0},
    {"—", "---", 0},     {"é", "\\'e", 0},
};

/* s[0..n) (gnuplot enhanced text) as LaTeX onto f; math: inside $...$ already */
static void tex_text(FILE *f, const char *s, size_t n, int math)
{
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if ((c == '^' || c == '_') && i + 1 < n && s[i + 1] == '{') { /* ^{...}: a script */
            size_t j = i + 2;
            for (int depth = 1; j < n && depth > 0; j++) depth += s[j] == '{' ? 1 : s[j] == '}' ? -1 : 0;
            fputs(math ? "" : "$", f);
            fprintf(f, "%c{", c);
            tex_text(f, s + i + 2, j - i - 3 < n ? j - i - 3 : 0, 1);
            fputs(math ? "}" : "}$", f);
            i = j;
            continue;
        }
        if (c == '{' && i + 1 < n && s[i + 1] == '/') { /* {/Font text}: the text */
            size_t j = i + 2;
            while (j < n && s[j] != ' ' && s[j] != '}') j++;
            size_t k = j;
            for (int depth = 1; k < n && depth > 0; k++) depth += s[k] == '{' ? 1 : s[k] == '}' ? -1 : 0;
            if (j < n && s[j] == ' ') j++;
            tex_text(f, s + j, k > j ? k - j - 1 : 0, math);
            i = k;
            continue;
        }
        /* x_0, θ_0: enhanced text's one-character script after a one-symbol base (a lone
         * letter, or a symbol such as θ); adam_w, a name, keeps its underscore */
        if ((c == '^' || c == '_') && i > 0 && i + 1 < n && isalnum((unsigned char)s[i + 1]) &&
            (i + 2 >= n || !isalnum((unsigned char)s[i + 2])) &&
            ((unsigned char)s[i - 1] >= 0x80 ||
             (isalpha((unsigned char)s[i - 1]) && (i < 2 || !isalnum((unsigned char)s[i - 2]))))) {
            fprintf(f, "%s%c{%c}%s", math ? "" : "$", c, s[i + 1], math ? "" : "$");
            i += 2;
            continue;
        }
        if ((unsigned char)c >= 0x80) {
            size_t k;
            for (k = 0; k < sizeof tex_symbols / sizeof *tex_symbols; k++) {
                size_t len = strlen(tex_symbols[k].utf8);
                if (len <= n - i && memcmp(s + i, tex_symbols[k].utf8, len) == 0) {
                    int wrap = tex_symbols[k].math && !math;
                    fprintf(f, "%s%s%s", wrap ? "$" : "", tex_symbols[k].tex,
                            wrap ? "$" : math && tex_symbols[k].tex[0] == '\\' ? " " : "");
                    i += len;
                    break;
                }
            }
            if (k == sizeof tex_symbols / sizeof *tex_symbols) fputc(s[i++], f); /* as is */
            continue;
        }
        switch (c) {
        case '#': case '$': case '%': case '&': case '_': case '{': case '}':
            fprintf(f, "\\%c", c);
            break;
        case '~': fputs(math ? "\\sim " : "\\textasciitilde{}", f); break;
        case '^': fputs(math ? "\\hat{}" : "\\textasciicircum{}", f); break;
        case '\\': fputs(math ? "\\backslash " : "\\textbackslash{}", f); break;
        case '<': case '>': fputs(math ? (c == '<' ? "<" : ">") : (c == '<' ? "$<$" : "$>$"), f); break;
        default: fputc(c, f);
        }
        i++;
    }
}

/* tex_text of s[0..n) onto f, its neighbouring math joined ($\theta$$_{0}$: $\theta_{0}$) */
static void tex_math_joined(FILE *f, const char *s, size_t n)
{
    char *t = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&t, &len);
    if (!m) {
        tex_text(f, s, n, 0);
        return;
    }
    tex_text(m, s, n, 0);
    fclose(m);
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '$' && i + 1 < len && t[i + 1] == '$' && (i == 0 || t[i - 1] != '\\')) {
            i++; /* the end of one math run and the start of the next */
            continue;
        }
        fputc(t[i], f);
    }
    free(t);
}

/* gnuplot's FILE.tex (gtex) rewritten into out: each label's text (\strut{}TEXT}}%) made
 * LaTeX, unless gnuplot wrote it as LaTeX already ($...$), and the drawing included by
 * the name stem (the final FILE, without directory, beside which FILE.pdf goes) */
static ob_status tex_rewrite(const char *gtex, const char *gstem, const char *out,
                             const char *stem, ob_error *err)
{
    FILE *in = fopen(gtex, "r"), *f = in ? fopen(out, "w") : NULL;
    if (!f) {
        if (in) fclose(in);
        return ob_fail(err, OB_EIO, "cannot rewrite %s: %s", gtex, strerror(errno));
    }
    char line[16384], inc[4400];
    snprintf(inc, sizeof inc, "{%s}}%%", gstem);
    while (fgets(line, sizeof line, in)) {
        char *strut = strstr(line, "\\strut{}"), *incl = strstr(line, "\\includegraphics");
        if (incl && strstr(incl, inc)) { /* the drawing, by its final name */
            fprintf(f, "%.*s{%s}}%%\n", (int)(strstr(incl, inc) - line), line, stem);
            continue;
        }
        size_t closing = strstr(line, "\\rotatebox") ? 4 : 3; /* }}}% or }}% */
        char *end = line + strcspn(line, "\n");
        if (!strut || (size_t)(end - strut) < 8 + closing || end[-1] != '%') {
            fputs(line, f);
            continue;
        }
        char *text = strut + 8, *tend = end - closing;
        fwrite(line, 1, (size_t)(text - line), f);
        if (tend - text >= 2 && text[0] == '$' && tend[-1] == '$')
            fwrite(text, 1, (size_t)(tend - text), f);
        else
            tex_math_joined(f, text, (size_t)(tend - text));
        fputs(tend, f);
    }
    int bad = ferror(in) || ferror(f);
    fclose(in);
    if (fclose(f) != 0 || bad) return ob_fail(err, OB_EIO, "cannot write %s", out);
    return OB_OK;
}

/* path with its extension (after the last '.' of its last component) replaced by ext */
static char *with_ext(const char *path, const char *ext, char *out, size_t cap)
{
    const char *e = ob_gnuplot_ext(path);
    size_t stem = *e ? (size_t)(e - path - 1) : strlen(path);
    int n = snprintf(out, cap, "%.*s.%s", (int)stem, path, ext);
    return n >= 0 && (size_t)n < cap ? out : NULL;
}

/* A pdf, svg or tex of a given size: an svg's width and height in inches (gnuplot writes
 * only its viewBox, in points then) */
static ob_status svg_set_size(const char *svg, double w_in, double h_in, ob_error *err)
{
    char *text = ob_read_text(svg);
    if (!text) return ob_fail(err, OB_EIO, "cannot read %s: %s", svg, strerror(errno));
    char *tag = strstr(text, "<svg ");
    ob_status s = OB_OK;
    FILE *f = fopen(svg, "w");
    if (!f) {
        s = ob_fail(err, OB_EIO, "cannot write %s: %s", svg, strerror(errno));
    } else {
        if (tag) {
            fwrite(text, 1, (size_t)(tag - text) + 5, f);
            fprintf(f, "width=\"%.4gin\" height=\"%.4gin\" ", w_in, h_in);
            fputs(tag + 5, f);
        } else {
            fputs(text, f);
        }
        if (fclose(f) != 0) s = ob_fail(err, OB_EIO, "cannot write %s", svg);
    }
    free(text);
    return s;
}

ob_status ob_gnuplot_gif(const char *png, int width, int height, int delay, const char *body,
                         ob_error *err)
{
    char tmp[4200], log[4200], script[4200], q[8500], gtex[4300], gpdf[4300];
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
    /* a tex figure: gnuplot writes gtex (named *.tex, as cairolatex wants) and gpdf */
    int tex = strcmp(ob_gnuplot_ext(png), "tex") == 0;
    snprintf(gtex, sizeof gtex, "%s.tex", tmp);
    snprintf(gpdf, sizeof gpdf, "%s.pdf", tmp);
    /* an interrupt that ends the process removes them (common/interrupt.h) */
    int held[5] = {ob_interrupt_track(tmp), ob_interrupt_track(log), ob_interrupt_track(script),
                   tex ? ob_interrupt_track(gtex) : -1, tex ? ob_interrupt_track(gpdf) : -1};
    int nheld = tex ? 5 : 3;
    /* the script goes to a file that gnuplot reads: fed through a pipe, gnuplot reads its
     * standard input a byte at a time, a system call each (half a second of a 1 MB script) */
    FILE *f = fopen(script, "w");
    if (!f) {
        ob_status s = ob_fail(err, OB_EIO, "cannot write %s: %s", png, strerror(errno));
        untrack(held, nheld);
        return s;
    }
    fputs("set encoding utf8\n", f);
    ob_gnuplot_terminal(f, png, width, height, delay);
    fprintf(f, "set output \"%s\"\n", ob_gnuplot_quote(tex ? gtex : tmp, q, sizeof q));
    int rc = run_script(f, script, log, body, "\nunset output\n");
    ob_status s;
    const ob_fig_options *o = ob_fig_options_get();
    if (rc < 0 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
        s = gnuplot_failed(rc, "drawing", png, err);
    } else if (tex) { /* FILE.pdf, then FILE.tex that includes it */
        char companion[4300], gstem[4300];
        const char *base = strrchr(png, '/');
        base = base ? base + 1 : png;
        snprintf(gstem, sizeof gstem, "%.*s", (int)strlen(gtex) - 4, gtex);
        char stem[1024];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base) - 4), base);
        s = !with_ext(png, "pdf", companion, sizeof companion)
                ? ob_fail(err, OB_EINVAL, "path too long: %s", png)
                : tex_rewrite(gtex, gstem, tmp, stem, err);
        if (s == OB_OK) s = ob_outfile_place(gpdf, companion, err);
        if (s == OB_OK) s = ob_outfile_place(tmp, png, err);
    } else {
        s = OB_OK;
        if (o->has_size && strcmp(ob_gnuplot_ext(png), "svg") == 0) {
            double w_in, h_in;
            ob_fig_page_inches(o, width, height, &w_in, &h_in);
            s = svg_set_size(tmp, w_in, h_in, err);
        }
        if (s == OB_OK) s = ob_outfile_place(tmp, png, err);
    }
    unlink(tmp), unlink(gtex), unlink(gpdf); /* whatever was not placed */
    untrack(held, nheld);
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
