/* interrupt.h - what SIGINT, SIGTERM and SIGHUP do to optbench.
 *
 * Two modes.  By default an interrupt ends the process as it always would, after removing
 * the temporary files it was writing (ob_interrupt_track: an output file's temporary
 * twin, a gnuplot script), so that no half-written file is left behind.  Between
 * ob_interrupt_catch() and ob_interrupt_release() (bench, plot) an interrupt only sets a
 * flag, ob_interrupted(): the command finishes or drops the file it is writing, starts
 * nothing new, and ends with status 130.
 *
 * A crash (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL) also removes the tracked files, then
 * goes on to the signal's previous action (by default the process dies of it, so its
 * status still says crashed).  Between ob_interrupt_run_begin() and ob_interrupt_run_end()
 * (an optimizer plugin's run: its code may crash or call exit()), a crash prints the run's
 * line, and an exit() removes the tracked files, prints the line and ends the process
 * with status 1: a plugin that ends the process before its run finished has failed. */
#ifndef OB_INTERRUPT_H
#define OB_INTERRUPT_H

/* From now on SIGINT and SIGTERM set the flag (cleared here) instead of ending the process. */
void ob_interrupt_catch(void);
/* Back to what they did before ob_interrupt_catch(); nothing when it was not called. */
void ob_interrupt_release(void);
/* 1 once an interrupt came while caught */
int ob_interrupted(void);
/* 1 between ob_interrupt_catch() and ob_interrupt_release() */
int ob_interrupt_caught(void);

/* Removes path if the process dies of an interrupt or a crash, or exits during a plugin's
 * run, before ob_interrupt_untrack(slot); returns the slot (-1: path too long or every
 * slot taken: then it is not removed).  A child process (fork) forgets its parent's
 * paths.  Safe from any thread. */
int ob_interrupt_track(const char *path);
void ob_interrupt_untrack(int slot);

/* A plugin's run is under way; fmt... is the head of the line that names it on stderr
 * ("optbench run: the optimizer plugin ./x.so"), to which a crash adds " crashed
 * (SIGSEGV) during its run" and an exit() " ended the process (exit) before its run
 * finished".  A forked child forgets it. */
void ob_interrupt_run_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ob_interrupt_run_end(void);

#endif
