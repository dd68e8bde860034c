/* suite_file.c - a suite from INI text (suite_file.h): libinih reads the lines, sections
 * and keys; this file checks each key against what it sets and fills the suite.
 *
 * libinih gives its handler no line number (Debian builds it without
 * INI_HANDLER_LINENO), so the text reaches it through our own reader, which counts the
 * lines: the handler then names the line it is at.  The reader also sees the section
 * headers, so a section is opened when its header is read, even one with no keys.  The
 * first error wins: ours (a key) or libinih's (the line it could not read).
 *
 * Lines of any length up to OB_SUITE_MAX_LINE: Debian's libinih takes its build options
 * at run time too (ini.h: ini_use_stack, ini_allow_realloc, ini_max_line, ...), and with
 * a heap buffer that may grow, its line buffer is no longer the 200 bytes of the default
 * build: libinih then asks the reader for the rest of a long line (a call with room for
 * the part not read yet), and the reader hands it over.  A longer line is refused with
 * its number.  Continuation lines (ini_allow_multiline) are off: an indented line is a
 * line like any other, as the reader, which opens the sections, sees it.  A UTF-8
 * byte-order mark at the start of a text is skipped by the reader.  An include
 * reads the other text through the same reader and handler, into the same suite, from
 * the handler of its line (a libinih call keeps its state to itself): its messages
 * name that text and its lines. */
#define _XOPEN_SOURCE 700 /* realpath, strdup */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/suite_file.h"
#include "bench/suite_keys.h"

/* libinih's settings, process-wide: set once, before its first use */
static void ini_settings(void)
{
    ini_use_stack = false;     /* a heap line buffer, which may grow ... */
    ini_allow_realloc = true;
    ini_initial_alloc = 256;
    ini_max_line = OB_SUITE_MAX_LINE + 3; /* ... to this: a line, '\r', '\n' and '\0' */
    ini_allow_multiline = false;
}
static pthread_once_t ini_once = PTHREAD_ONCE_INIT;

/* the text's next line into str, or as much of it as fits (fgets-like): libinih's
 * ini_reader; libinih asks again for the rest of a line that did not fit */
static char *read_line(char *str, int num, void *stream)
{
    ob_suite_parser *p = stream;
    if (p->failed || num < 2) return NULL;
    if (!p->mid_line && p->pos == 0 && !strncmp(p->text, "\xEF\xBB\xBF", 3))
        p->pos = 3; /* a UTF-8 byte-order mark */
    const char *s = p->text + p->pos;
    if (!*s) return NULL;
    size_t n = strcspn(s, "\n");
    if (!p->mid_line) { /* a new line: the whole of it is s[0..n) */
        p->line++;
        if (n > OB_SUITE_MAX_LINE) {
            ob_suite_fail(p, "the line is %zu characters long; accepted: lines of at most "
                          "%d characters", n, OB_SUITE_MAX_LINE);
            return NULL;
        }
        const char *h = s + strspn(s, " \t\r\v\f"); /* libinih skips isspace() */
        const char *end = h < s + n ? memchr(h, ']', (size_t)(s + n - h)) : NULL;
        if (*h == '[' && end) { /* a header: libinih takes what is between the brackets */
            char *sec = strndup(h + 1, (size_t)(end - h - 1));
            ob_status st = sec ? ob_suite_open_section(p, sec) : ob_suite_fail(p, "out of memory");
            free(sec);
            if (st != OB_OK) return NULL;
        }
    }
    size_t take = n + (s[n] == '\n');
    if (take > (size_t)num - 1) take = (size_t)num - 1;
    memcpy(str, s, take);
    str[take] = '\0';
    p->pos += take;
    p->mid_line = s[take - 1] != '\n' && s[take]; /* the rest of the line comes next */
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

/* the text under way (p->text, p->file) through libinih into the suite */
static void parse_text(ob_suite_parser *p)
{
    pthread_once(&ini_once, ini_settings);
    int bad = ini_parse_stream(read_line, p, on_key, p);
    if (bad > 0 && (!p->failed || bad < p->err_line)) { /* libinih's: the line is not INI */
        char shown[96];
        line_text(p->text, bad, shown, sizeof shown);
        p->failed = 0;
        p->line = bad;
        ob_suite_fail(p, "'%s' is not INI: accepted are [section], key = value, and "
                      "comments starting with ; or #", shown);
    } else if (bad < 0 && !p->failed) {
        ob_fail(p->err, OB_ENOMEM, "%s: out of memory", p->file);
        p->failed = 1;
    }
}

/* a suite file is at most this long (bytes) */
#define MAX_TEXT (16 << 20)

/* the file at path into *text (malloc'ed): 0, an errno, or (text_error) -1 if it is not
 * text, -2 if it is a device (a terminal, /dev/zero), -3 if it is longer than MAX_TEXT
 * (a pipe may be) */
static int read_text(const char *path, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) return errno;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
        fclose(f);
        return -2;
    }
    size_t cap = 4096, n = 0;
    char *text = malloc(cap);
    while (text && n <= MAX_TEXT) {
        n += fread(text + n, 1, cap - n - 1, f);
        if (n + 1 < cap) break;
        char *t = realloc(text, cap *= 2);
        if (!t) free(text);
        text = t;
    }
    int rerr = ferror(f);
    fclose(f);
    if (!text) return ENOMEM;
    text[n] = '\0';
    int e = n > MAX_TEXT ? -3 : rerr || memchr(text, '\0', n) ? -1 : 0;
    if (e) free(text);
    else *out = text;
    return e;
}

/* why read_text gave e */
static const char *text_error(int e)
{
    return e > 0 ? strerror(e) : e == -2 ? "a device, not a file" : e == -3 ? "longer than 16 MiB"
                                                                      : "not a text file";
}

/* a copy of s kept until the parser is done (NULL: out of memory) */
static const char *keep(ob_suite_parser *p, const char *s)
{
    char **names = realloc(p->names, (p->n_names + 1) * sizeof *names);
    if (!names) return NULL;
    p->names = names;
    return (names[p->n_names] = strdup(s)) ? names[p->n_names++] : NULL;
}

/* [suite] include = NAME|FILE: a built-in suite's name, else a suite file (relative to
 * the directory of the text that includes it), read here as if its text stood in place
 * of this line: its [suite] keys but the name, then this text's, which change them; its
 * optimizers' and workloads' sections, which this text's sections of the same name
 * change.  A cycle is refused at the include that closes it. */
ob_status ob_suite_include(ob_suite_parser *p, const char *v)
{
    char path[PATH_MAX], shown[PATH_MAX], id[PATH_MAX], dir[PATH_MAX];
    const char *builtin = ob_suite_builtin_text(v);
    char *text = NULL;
    if (builtin) {
        snprintf(shown, sizeof shown, "%s", v);
        snprintf(id, sizeof id, "%s", v);
    } else {
        if (strlen(v) + (p->dir ? strlen(p->dir) : 0) + 2 > PATH_MAX ||
            strlen(v) + strlen(p->file) + 1 > PATH_MAX)
            return ob_suite_fail(p, "include = '%.40s...': the path is longer than %d "
                                 "characters", v, PATH_MAX - 1);
        const char *slash = v[0] != '/' ? strrchr(p->file, '/') : NULL;
        snprintf(path, sizeof path, "%s%s%s", v[0] != '/' && p->dir ? p->dir : "",
                 v[0] != '/' && p->dir ? "/" : "", v);
        /* for messages: from where the including file's name starts */
        snprintf(shown, sizeof shown, "%.*s%s", slash ? (int)(slash - p->file + 1) : 0, p->file, v);
        int e = read_text(path, &text);
        if (e)
            return ob_suite_fail(p, "include = '%s': cannot read %s: %s; accepted: a built-in "
                                 "suite (quick, full, smoke) or a suite file, relative to "
                                 "this file's directory", v, path,
                                 text_error(e));
        if (!realpath(path, id)) snprintf(id, sizeof id, "%s", path);
        snprintf(dir, sizeof dir, "%s", id);
        char *d = strrchr(dir, '/');
        if (d) *(d == dir ? d + 1 : d) = '\0';
    }
    for (int d = 0; d <= p->depth; d++)
        if (!strcmp(p->ids[d], id)) {
            char chain[1024] = "";
            size_t n = 0;
            for (int k = d; k <= p->depth && n < sizeof chain; k++)
                n += (size_t)snprintf(chain + n, sizeof chain - n, "%s -> ", p->ids[k]);
            free(text);
            return ob_suite_fail(p, "include = '%s': an include cycle (%s%s); accepted: a "
                                 "suite that does not include itself", v, chain, id);
        }
    if (p->depth + 1 > OB_SUITE_MAX_DEPTH) {
        free(text);
        return ob_suite_fail(p, "include = '%s': includes nested deeper than %d", v,
                             OB_SUITE_MAX_DEPTH);
    }
    const char *file = keep(p, shown), *kept_id = keep(p, id),
               *kept_dir = builtin ? NULL : keep(p, dir);
    if (!file || !kept_id || (!builtin && !kept_dir)) {
        free(text);
        return ob_suite_fail(p, "out of memory");
    }
    ob_suite_parser saved = *p;
    p->text = builtin ? builtin : text;
    p->file = file;
    p->dir = kept_dir;
    p->pos = 0;
    p->line = 0;
    p->mid_line = 0;
    p->ids[++p->depth] = kept_id;
    p->sec = OB_SEC_NONE;
    p->have_suite = 0;
    p->place = SIZE_MAX;
    parse_text(p);
    free(text);
    /* back to the including text, at this line */
    p->text = saved.text;
    p->file = saved.file;
    p->dir = saved.dir;
    p->pos = saved.pos;
    p->line = saved.line;
    p->mid_line = saved.mid_line;
    p->depth = saved.depth;
    p->sec = saved.sec;
    p->cur = saved.cur;
    p->have_suite = saved.have_suite;
    p->suite_keys = saved.suite_keys;
    p->place = saved.place;
    if (p->failed) {
        p->err_line = p->line; /* for this text's reader, the failure is on this line */
        return OB_EINVAL;
    }
    free((char *)p->S->name); /* the name is the including suite's own */
    p->S->name = NULL;
    return OB_OK;
}

ob_status ob_suite_parse(const char *text, const char *file, const char *dir,
                         const char *source, ob_suite **out, ob_error *err)
{
    *out = NULL;
    ob_suite_parser p = {.text = text, .file = file, .dir = dir, .err = err, .opt_depth = -1,
                         .place = SIZE_MAX};
    p.ids[0] = source ? source : file;
    ob_suite *S = calloc(1, sizeof *S);
    if (!S) return ob_fail(err, OB_ENOMEM, "out of memory");
    p.S = S;
    ob_suite_defaults(&p);
    parse_text(&p);
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
    char *text;
    int e = read_text(path, &text);
    if (e > 0 && e != ENOMEM)
        return ob_fail(err, OB_EINVAL, "cannot read the suite file %s: %s (--suite takes "
                       "quick, full, smoke or an INI file)", path, strerror(e));
    if (e == ENOMEM) return ob_fail(err, OB_ENOMEM, "out of memory");
    if (e) return ob_fail(err, OB_EINVAL, "%s: %s (a suite is a file of INI text)", path,
                          text_error(e));
    char abs[PATH_MAX], dir[PATH_MAX];
    if (!realpath(path, abs)) snprintf(abs, sizeof abs, "%s", path);
    snprintf(dir, sizeof dir, "%s", abs);
    char *slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
    ob_status s = ob_suite_parse(text, path, slash ? dir : NULL, abs, S, err);
    free(text);
    return s;
}
