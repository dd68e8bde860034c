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

/* A file another program wrote (gnuplot's figure) at tmp, placed at target by the rules
 * above: a regular or new target gets tmp renamed onto it (a link to a regular file: onto
 * the file it points to, the link stays); a target that is not a regular file (a FIFO, a
 * device, a link to one) gets tmp's bytes written in place, opened without creating or
 * truncating, never replaced; a directory is refused (OB_EINVAL).  tmp is removed in every
 * case.  tmp should come from ob_out_temp_path (the same file system as the rename's). */
ob_status ob_outfile_place(const char *tmp, const char *target, ob_error *err);

/* The name of a temporary file for target ("TARGET.TAG.PID.N", N distinct for every call
 * of the process): beside target, beside the file it points to for a link to a regular
 * file, and in $TMPDIR (default /tmp) for a target written in place (a FIFO, /dev/stdout,
 * whose directory may not be ours).  Returns out, NULL when it does not fit in cap. */
char *ob_out_temp_path(const char *target, const char *tag, char *out, size_t cap);

/* Checks, before any work, that path can be the destination given by option ("--plot"):
 * "-", a new file in a place that exists or can be created, a regular file, or a target
 * written in place that can be written.  A directory, a parent that is not a directory
 * (afile/x.gif with afile a file), or a place that cannot be written is OB_EINVAL, one line
 * naming the option and the path.  Nothing is created. */
ob_status ob_out_check(const char *path, const char *option, ob_error *err);
/* The same for a directory that files go into (created when missing). */
ob_status ob_out_check_dir(const char *dir, const char *option, ob_error *err);

#endif
