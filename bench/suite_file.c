/* suite_file.c - a suite from INI text (suite_file.h): libinih reads the lines, sections
 * and keys; this file checks each key against what it sets and fills the suite.
 *
 * libinih gives its handler no line number (Debian builds it without
 * INI_HANDLER_LINENO), so the text reaches it through our own reader, which counts the
 * lines: the handler then names the line it is at.  The reader also sees the section
 * headers, so a section is opened when its header is read, even one with no keys.  The
 * first error wins: ours (a key) or libinih's (the line it could not read). */
#define _XOPEN_SOURCE 700 /* realpath, strdup */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/suite_file.h"
#include "bench/suite_keys.h"

/* the text's next line into str (fgets-like): libinih's ini_reader */
static char *read_line(char *str, int num, void *stream)
{
    ob_suite_parser *p = stream;
    if (p->failed || !p->text[p->pos]) return NULL;
    const char *s = p->text + p->pos;
    size_t n = strcspn(s, "\n"), take = n + (s[n] == '\n');
    p->line++;
    if (n + 1 >= (size_t)num) { /* libinih would read the rest as another line */
        ob_suite_fail(p, "the line is longer than %d characters", num - 2);
        return NULL;
    }
    memcpy(str, s, take);
    str[take] = '\0';
    p->pos += take;
    const char *h = str + strspn(str, " \t\r");
    const char *end = strchr(h, ']');
    if (*h == '[' && end) { /* a header: libinih takes what is between the brackets */
        char sec[INI_MAX_LINE];
        snprintf(sec, sizeof sec, "%.*s", (int)(end - h - 1), h + 1);
        if (ob_suite_open_section(p, sec) != OB_OK) return NULL;
    }
    return str;
}

/* libinih's handler: one key of the section the reader opened */
static int on_key(void *user, const char *section, const char *key, const char *value)
{
    (void)section;
    ob_suite_parser *p = user;
    return !p->failed && ob_suite_key(p, key, value) == OB_OK;
}

void ob_suite_free(ob_suite *S)
{
    if (!S) return;
    for (size_t i = 0; i < S->n_workloads; i++) {
        const ob_workload *w = &S->workloads[i];
        free((char *)w->name);
        free((char *)w->problem);
        free((char *)w->net);
        free((char *)w->optimizers);
        free((char *)w->popts.data);
    }
    for (size_t i = 0; i < S->n_optimizers; i++) {
        const ob_suite_optimizer *o = &S->optimizers[i];
        free((char *)o->name);
        for (int l = 0; l < o->n_lists; l++) free(o->lists[l].v);
        free(o->points);
        free(o->tags);
    }
    free((void *)S->workloads);
    free((void *)S->optimizers);
    free((char *)S->name);
    free((char *)S->source);
    free((char *)S->text);
    free(S);
}

/* the text of line n (1-based), for a syntax error's message */
static void line_text(const char *text, long n, char *buf, size_t cap)
{
    for (long k = 1; k < n && *text; k++) text += strcspn(text, "\n") + (text[strcspn(text, "\n")] == '\n');
    snprintf(buf, cap, "%.*s", (int)strcspn(text, "\r\n"), text);
}

ob_status ob_suite_parse(const char *text, const char *file, const char *dir,
                         const char *source, ob_suite **out, ob_error *err)
{
    *out = NULL;
    ob_suite_parser p = {.text = text, .file = file, .dir = dir, .err = err};
    ob_suite *S = calloc(1, sizeof *S);
    if (!S) return ob_fail(err, OB_ENOMEM, "out of memory");
    p.S = S;
    ob_suite_defaults(&p);
    int bad = ini_parse_stream(read_line, &p, on_key, &p);
    if (bad > 0 && (!p.failed || bad < p.err_line)) { /* libinih's: the line is not INI */
        char shown[96];
        line_text(text, bad, shown, sizeof shown);
        p.failed = 0;
        p.line = bad;
        ob_suite_fail(&p, "'%s' is not INI: accepted are [section], key = value, and "
                      "comments starting with ; or #", shown);
    } else if (bad < 0 && !p.failed) {
        ob_fail(err, OB_ENOMEM, "%s: out of memory", file);
        p.failed = 1;
    }
    if (!p.failed) ob_suite_finish(&p);
    ob_suite_parser_done(&p);
    if (!p.failed && !(S->text = strdup(text))) p.failed = 1;
    if (!p.failed && !(S->source = strdup(source ? source : S->name))) p.failed = 1;
    if (p.failed) {
        ob_suite_free(S);
        return err && err->msg[0] ? OB_EINVAL : ob_fail(err, OB_ENOMEM, "out of memory");
    }
    *out = S;
    return OB_OK;
}

ob_status ob_suite_load(const char *path, ob_suite **S, ob_error *err)
{
    *S = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return ob_fail(err, OB_EINVAL, "cannot read the suite file %s: %s (--suite takes "
                       "quick, full, smoke or an INI file)", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *text = malloc(cap);
    while (text) {
        n += fread(text + n, 1, cap - n - 1, f);
        if (n + 1 < cap) break;
        char *t = realloc(text, cap *= 2);
        if (!t) free(text);
        text = t;
    }
    int rerr = ferror(f);
    fclose(f);
    if (!text) return ob_fail(err, OB_ENOMEM, "out of memory");
    text[n] = '\0';
    if (rerr || memchr(text, '\0', n)) {
        free(text);
        return ob_fail(err, OB_EINVAL, "%s: not a text file (a suite is INI text)", path);
    }
    char abs[PATH_MAX], dir[PATH_MAX];
    if (!realpath(path, abs)) snprintf(abs, sizeof abs, "%s", path);
    snprintf(dir, sizeof dir, "%s", abs);
    char *slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
    ob_status s = ob_suite_parse(text, path, slash ? dir : NULL, abs, S, err);
    free(text);
    return s;
}
