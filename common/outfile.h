/* outfile.h - every output file optbench writes, written safely.
 *
 * - A regular file (or a new one) is written to a temporary file beside it and renamed
 *   into place on commit, so a reader never sees half a file and a failed or interrupted
 *   write leaves the old file (or none).  A symbolic link to a regular file is followed:
 *   its target is replaced, the link stays.
 * - "-" is standard output.
 * - A target that exists and is not a regular file (a FIFO, a character device such as
 *   /dev/null or /dev/stdout, a link to one) is written in place and never replaced:
 *   renaming a file over /dev/stdout as root would break the device for every program.
 * - A path ending in ".gz" is written gzipped through zlib (a regular file, a FIFO or a
 *   device alike; standard output stays plain).
 * - Missing parent directories are created.
 * - A directory, or a place that cannot be created or written, is bad input (OB_EINVAL,
 *   one line naming the path and why); a failure while writing is OB_EIO. */
#ifndef OB_OUTFILE_H
#define OB_OUTFILE_H

#include <stdio.h>

#include "common/ob.h"

typedef struct {
    FILE *fp;
    char *path;     /* the target as given (for messages) */
    char *final;    /* the regular file the temporary one is renamed to; NULL: in place */
    char *tmp;      /* the temporary file; NULL when writing in place */
    int is_stdout;  /* standard output or standard error: flushed, never closed */
    int sync_fd;    /* gzipped: a duplicate of the file's descriptor, synced after the
                       compressor's last bytes (-1: none) */
    int tracked;    /* 1 + the slot that removes tmp if an interrupt ends the process
                       (common/interrupt.h); 0: none */
} ob_outfile;

/* 1 when path ends in ".gz" (the file is written gzipped) */
int ob_path_is_gz(const char *path);

/* The summary of a run whose CSV goes to standard output: written to standard error. */
#define OB_OUT_STDERR "-stderr"

/* Opens path for writing as above (OB_OUT_STDERR: standard error); on failure err names
 * the path. */
ob_status ob_outfile_open(ob_outfile *o, const char *path, ob_error *err);
/* Flushes, syncs and renames into place (closes in-place targets, never stdout). */
ob_status ob_outfile_commit(ob_outfile *o, ob_error *err);
/* Drops what was written: removes the temporary file (a target written in place keeps
 * what it got). */
void ob_outfile_abort(ob_outfile *o);

/* Creates the directories of path's parent (like mkdir -p $(dirname path)). */
ob_status ob_mkdirs_parent(const char *path, ob_error *err);
/* Creates dir and its missing parents. */
ob_status ob_mkdirs(const char *dir, ob_error *err);

/* 1 when path names standard output or an existing target that is not a regular file
 * (written in place) */
int ob_out_in_place(const char *path);

#endif
