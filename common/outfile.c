/* outfile.c - see outfile.h. */
#define _GNU_SOURCE /* realpath, fopencookie */
#include "common/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "common/interrupt.h"

ob_status ob_mkdirs(const char *dir, ob_error *err)
{
    char buf[PATH_MAX];
    size_t len = strlen(dir);
    if (len == 0) return OB_OK;
    if (len >= sizeof buf) return ob_fail(err, OB_EINVAL, "path too long: %s", dir);
    memcpy(buf, dir, len + 1);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        struct stat st;
        if (stat(buf, &st) != 0) {
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return ob_fail(err, OB_EINVAL, "cannot create directory %s: %s", buf,
                               strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            return ob_fail(err, OB_EINVAL, "cannot create directory %s: a file is in the way",
                           buf);
        }
        if (c == '\0') break;
        *p = c;
    }
    return OB_OK;
}

ob_status ob_mkdirs_parent(const char *path, ob_error *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return OB_OK;
    char dir[PATH_MAX];
    size_t n = (size_t)(slash - path);
    if (n >= sizeof dir) return ob_fail(err, OB_EINVAL, "path too long: %s", path);
    memcpy(dir, path, n);
    dir[n] = '\0';
    return ob_mkdirs(dir, err);
}

int ob_out_in_place(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || strcmp(path, OB_OUT_STDERR) == 0) return 1;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

int ob_path_is_gz(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

/* a stdio stream over zlib's gzFile: every writer of optbench writes through FILE * */
static ssize_t gz_write(void *c, const char *buf, size_t n)
{
    if (n == 0) return 0;
    int w = gzwrite((gzFile)c, buf, (unsigned)n);
    return w > 0 ? w : -1;
}

static int gz_close(void *c) { return gzclose((gzFile)c) == Z_OK ? 0 : -1; }

/* fd (owned from here on) as a gzipped stream: level 6, zlib's default balance of size
 * and speed */
static FILE *gz_stream(ob_outfile *o, int fd)
{
    o->sync_fd = o->tmp ? dup(fd) : -1;
    gzFile z = gzdopen(fd, "wb6");
    if (!z) {
        close(fd);
        return NULL;
    }
    FILE *f = fopencookie(z, "w", (cookie_io_functions_t){.write = gz_write, .close = gz_close});
    if (!f) gzclose(z);
    return f;
}

static ob_status open_in_place(ob_outfile *o, ob_error *err)
{
    if (strcmp(o->path, "-") == 0 || strcmp(o->path, OB_OUT_STDERR) == 0) {
        o->fp = strcmp(o->path, "-") == 0 ? stdout : stderr;
        o->is_stdout = 1;
        return OB_OK;
    }
    o->fp = fopen(o->path, "w"); /* a FIFO blocks here until a reader opens it */
    if (o->fp && ob_path_is_gz(o->path)) {
        int fd = dup(fileno(o->fp));
        fclose(o->fp);
        o->fp = fd >= 0 ? gz_stream(o, fd) : NULL;
    }
    if (!o->fp)
        return ob_fail(err, OB_EINVAL, "cannot write %s: %s", o->path, strerror(errno));
    return OB_OK;
}

/* path, or for a link the file it points to, resolved into real (PATH_MAX): what a rename
 * replaces while the link stays (a dangling link: path itself) */
static const char *link_target(const char *path, char *real)
{
    struct stat lst;
    return lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && realpath(path, real) ? real : path;
}

static ob_status open_temporary(ob_outfile *o, ob_error *err)
{
    ob_status s = ob_mkdirs_parent(o->path, err);
    if (s != OB_OK) return s;
    /* a link to a regular file: replace the file it points to, keep the link */
    char real[PATH_MAX];
    const char *target = link_target(o->path, real);
    size_t len = strlen(target);
    o->final = strdup(target);
    o->tmp = malloc(len + 48);
    if (!o->final || !o->tmp) return ob_fail(err, OB_ENOMEM, "out of memory opening %s", o->path);
    /* The name is tracked before the file exists (an interrupt, in whichever thread the
     * kernel hands it to, then removes it: between a mkstemp and the tracking it would have
     * stayed behind), and made with O_EXCL: X.tmp.PID-K, K counting past a name a dead
     * process left.  The mode is an ordinary file's (0666 less the umask). */
    static unsigned long serial;
    int fd = -1, e = 0;
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        snprintf(o->tmp, len + 48, "%s.tmp.%ld-%lu", target, (long)getpid(),
                 __atomic_fetch_add(&serial, 1, __ATOMIC_RELAXED));
        o->tracked = 1 + ob_interrupt_track(o->tmp);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        e = errno;
        if (fd < 0) ob_interrupt_untrack(o->tracked - 1), o->tracked = 0;
        if (fd < 0 && e != EEXIST) break;
    }
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        return ob_fail(err, OB_EINVAL, "cannot write %s: %s", o->path, strerror(e));
    }
    o->fp = ob_path_is_gz(o->path) ? gz_stream(o, fd) : fdopen(fd, "w");
    if (!o->fp) {
        if (!ob_path_is_gz(o->path)) close(fd);
        return ob_fail(err, OB_EIO, "cannot write %s: %s", o->path, strerror(errno));
    }
    return OB_OK;
}

ob_status ob_outfile_open(ob_outfile *o, const char *path, ob_error *err)
{
    memset(o, 0, sizeof *o);
    o->sync_fd = -1;
    o->path = strdup(path);
    if (!o->path) return ob_fail(err, OB_ENOMEM, "out of memory opening %s", path);
    struct stat st;
    ob_status s;
    if (*path == '\0') s = ob_fail(err, OB_EINVAL, "empty output path");
    else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        s = ob_fail(err, OB_EINVAL, "cannot write %s: it is a directory (give a file name)",
                    path);
    else if (ob_out_in_place(path)) s = open_in_place(o, err);
    else s = open_temporary(o, err);
    if (s != OB_OK) ob_outfile_abort(o);
    return s;
}

ob_status ob_outfile_commit(ob_outfile *o, ob_error *err)
{
    int bad = fflush(o->fp) != 0 || ferror(o->fp);
    int e = errno;
    if (!bad && o->tmp && o->sync_fd < 0 && fsync(fileno(o->fp)) != 0) bad = 1, e = errno;
    if (!o->is_stdout && fclose(o->fp) != 0 && !bad) bad = 1, e = errno ? errno : EIO;
    o->fp = NULL;
    /* gzipped: the compressor wrote its last bytes on close */
    if (!bad && o->sync_fd >= 0 && fsync(o->sync_fd) != 0) bad = 1, e = errno;
    if (!bad && o->tmp && rename(o->tmp, o->final) != 0) bad = 1, e = errno;
    if (!bad) ob_interrupt_untrack(o->tracked - 1), o->tracked = 0;
    ob_status s = OB_OK;
    if (bad) s = ob_fail(err, OB_EIO, "cannot write %s: %s", o->path, strerror(e));
    else {
        free(o->tmp);
        o->tmp = NULL;
    }
    ob_outfile_abort(o);
    return s;
}

void ob_outfile_abort(ob_outfile *o)
{
    if (o->fp && !o->is_stdout) fclose(o->fp);
    if (o->path && o->sync_fd >= 0) close(o->sync_fd);
    if (o->tmp) unlink(o->tmp);
    ob_interrupt_untrack(o->tracked - 1);
    free(o->tmp);
    free(o->final);
    free(o->path);
    memset(o, 0, sizeof *o);
}

/* ---- files another program writes, and destinations checked before any work ---- */

char *ob_out_temp_path(const char *target, const char *tag, char *out, size_t cap)
{
    static unsigned long serial; /* distinct names for the threads of one process */
    unsigned long me = __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED);
    char real[PATH_MAX];
    const char *base = strrchr(target, '/');
    base = base ? base + 1 : target;
    if (ob_out_in_place(target)) { /* /dev/stdout.tmp cannot be created: a scratch dir */
        const char *t = getenv("TMPDIR");
        int n = snprintf(out, cap, "%s/optbench-%s.%s.%ld.%lu", t && *t ? t : "/tmp", base, tag,
                         (long)getpid(), me);
        return n >= 0 && (size_t)n < cap ? out : NULL;
    }
    /* a link to a regular file: beside the file it points to, which the rename replaces */
    int n = snprintf(out, cap, "%s.%s.%ld.%lu", link_target(target, real), tag, (long)getpid(),
                     me);
    return n >= 0 && (size_t)n < cap ? out : NULL;
}

/* tmp's bytes into the target that is written in place: opened for writing only (no
 * O_CREAT, no O_TRUNC: a FIFO, a device, a link to one is never replaced) */
static ob_status copy_in_place(const char *tmp, const char *target, ob_error *err)
{
    int in = open(tmp, O_RDONLY);
    if (in < 0) return ob_fail(err, OB_EIO, "cannot read %s: %s", tmp, strerror(errno));
    /* a FIFO waits for its reader, but an interrupt caught meanwhile (plot DIR lets the
     * figures under way end) ends the wait: without O_NONBLOCK the open would not return */
    int out;
    while ((out = open(target, O_WRONLY | O_NOCTTY | O_NONBLOCK)) < 0 && errno == ENXIO &&
           !ob_interrupted())
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL); /* 10 ms */
    if (out >= 0) fcntl(out, F_SETFL, fcntl(out, F_GETFL) & ~O_NONBLOCK);
    else if (errno == ENXIO) {
        close(in);
        return ob_fail(err, OB_INTERRUPTED, "interrupted waiting for a reader of %s", target);
    }
    if (out < 0) {
        int e = errno;
        close(in);
        return ob_fail(err, OB_EINVAL, "cannot write %s: %s", target, strerror(e));
    }
    char buf[65536];
    ssize_t n;
    int e = 0;
    while (!e && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno != EINTR) e = errno;
            continue;
        }
        for (ssize_t off = 0; off < n && !e;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno != EINTR) e = errno;
            if (w > 0) off += w;
        }
    }
    close(in);
    if (close(out) != 0 && !e) e = errno;
    return e ? ob_fail(err, OB_EIO, "cannot write %s: %s", target, strerror(e)) : OB_OK;
}

ob_status ob_outfile_place(const char *tmp, const char *target, ob_error *err)
{
    struct stat st;
    ob_status s = OB_OK;
    if (*target == '\0') s = ob_fail(err, OB_EINVAL, "empty output path");
    else if (stat(target, &st) == 0 && S_ISDIR(st.st_mode))
        s = ob_fail(err, OB_EINVAL, "cannot write %s: it is a directory (give a file name)",
                    target);
    else if (ob_out_in_place(target)) s = copy_in_place(tmp, target, err);
    else {
        /* a regular file or a new one: renamed into place; a link to a regular file keeps
         * the link, the file it points to is replaced (as ob_outfile_open does) */
        char real[PATH_MAX];
        const char *final = link_target(target, real);
        int fd = open(tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0 || rename(tmp, final) != 0)
            s = ob_fail(err, OB_EIO, "cannot write %s: %s", target, strerror(errno));
        if (fd >= 0) close(fd);
    }
    unlink(tmp); /* after a rename: nothing there */
    return s;
}

/* an option and a path in a message: "--plot x.png", or "x.png" alone */
#define OPT(option) (option), *(option) ? " " : ""

/* the components of path one by one (the last one too when whole): a prefix that exists
 * must be a directory, and the last existing one writable; the rest is created later */
static ob_status check_parents(const char *path, int whole, const char *option, ob_error *err)
{
    char buf[PATH_MAX];
    size_t len = strlen(path);
    if (len >= sizeof buf)
        return ob_fail(err, OB_EINVAL, "%s%s%s: path too long", OPT(option), path);
    memcpy(buf, path, len + 1);
    if (!whole) { /* the parent only */
        char *slash = strrchr(buf, '/');
        if (!slash) return access(".", W_OK | X_OK) == 0 ? OB_OK
                   : ob_fail(err, OB_EINVAL, "%s%s%s: cannot write in the current directory: %s",
                             OPT(option), path, strerror(errno));
        if (slash == buf) slash[1] = '\0';
        else *slash = '\0';
    }
    char last[PATH_MAX] = ".";
    if (buf[0] == '/') strcpy(last, "/");
    for (char *p = buf + 1; strcmp(buf, "/") != 0; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        struct stat st;
        if (stat(buf, &st) != 0) {
            if (errno != ENOENT)
                return ob_fail(err, OB_EINVAL, "%s%s%s: cannot use %s: %s", OPT(option), path, buf,
                               strerror(errno));
            break; /* this and the rest are created */
        }
        if (!S_ISDIR(st.st_mode))
            return ob_fail(err, OB_EINVAL,
                           "%s%s%s: cannot create directory %s: a file is in the way",
                           OPT(option), path, buf);
        snprintf(last, sizeof last, "%s", buf);
        if (c == '\0') break;
        *p = c;
    }
    if (access(last, W_OK | X_OK) != 0)
        return ob_fail(err, OB_EINVAL, "%s%s%s: cannot write in %s: %s", OPT(option), path, last,
                       strerror(errno));
    return OB_OK;
}

ob_status ob_out_check(const char *path, const char *option, ob_error *err)
{
    if (!path) return OB_OK;
    if (*path == '\0')
        return ob_fail(err, OB_EINVAL, "%s: an empty path", *option ? option : "output");
    if (!strcmp(path, "-") || !strcmp(path, OB_OUT_STDERR)) return OB_OK;
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return ob_fail(err, OB_EINVAL, "%s%s%s: it is a directory (give a file name)",
                           OPT(option), path);
        if (!S_ISREG(st.st_mode)) /* written in place */
            return access(path, W_OK) == 0 ? OB_OK
                   : ob_fail(err, OB_EINVAL, "%s%s%s: cannot write it: %s", OPT(option), path,
                             strerror(errno));
    }
    return check_parents(path, 0, option, err);
}

ob_status ob_out_check_dir(const char *dir, const char *option, ob_error *err)
{
    if (!dir) return OB_OK;
    if (*dir == '\0')
        return ob_fail(err, OB_EINVAL, "%s: an empty path", *option ? option : "output");
    return check_parents(dir, 1, option, err);
}
