/* fuzz_util.h - helpers shared by the fuzz targets (fuzz/README.md).
 *
 * The readers under test take a path, so each input is written to one temporary file
 * (created once per process under $TMPDIR, removed at exit) and read back from there. */
#ifndef OB_FUZZ_UTIL_H
#define OB_FUZZ_UTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ob.h"

static char fuzz_path[4096];

__attribute__((unused)) static void fuzz_remove_path(void) { unlink(fuzz_path); }

/* Writes data to the per-process temporary file and returns its path.  suffix names
 * the file ("-data.csv"), which the readers quote in their messages. */
__attribute__((unused)) static const char *fuzz_write_file(const unsigned char *data, size_t size, const char *suffix)
{
    if (!fuzz_path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(fuzz_path, sizeof fuzz_path, "%s/optbench-fuzz-%ld%s",
                 dir && *dir ? dir : "/tmp", (long)getpid(), suffix);
        atexit(fuzz_remove_path);
    }
    int fd = open(fuzz_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror(fuzz_path);
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) {
            perror(fuzz_path);
            abort();
        }
        done += (size_t)w;
    }
    close(fd);
    return fuzz_path;
}

/* Aborts (a crash for libFuzzer) with a note when an invariant does not hold. */
#define FUZZ_CHECK(cond, ...)                                                                \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n  ", __FILE__, __LINE__,    \
                    #cond);                                                                  \
            fprintf(stderr, __VA_ARGS__);                                                    \
            fputc('\n', stderr);                                                             \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* A failed call must say why; reader errors (other than out of memory)
 * must name the file. */
__attribute__((unused)) static void fuzz_check_error(ob_status st, const ob_error *e, const char *path, const char *fn)
{
    FUZZ_CHECK(st != OB_OK, "%s", fn);
    FUZZ_CHECK(e->msg[0] != '\0', "%s returned %s with an empty message", fn, ob_status_name(st));
    if (path && st != OB_ENOMEM)
        FUZZ_CHECK(strstr(e->msg, path) != NULL, "%s returned %s without naming the file: %s",
                   fn, ob_status_name(st), e->msg);
}

#endif
