/* interrupt.h - what SIGINT, SIGTERM and SIGHUP do to optbench.
 *
 * Two modes.  By default an interrupt ends the process as it always would, after removing
 * the temporary files it was writing (ob_interrupt_track: an output file's temporary
 * twin, a gnuplot script), so that no half-written file is left behind.  Between
 * ob_interrupt_catch() and ob_interrupt_release() (bench, plot) an interrupt only sets a
 * flag, ob_interrupted(): the command finishes or drops the file it is writing, starts
 * nothing new, and ends with status 130. */
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

/* Removes path if the process dies of an interrupt before ob_interrupt_untrack(slot);
 * returns the slot (-1: path too long or every slot taken: then it is not removed).  A
 * child process (fork) forgets its parent's paths.  Safe from any thread. */
int ob_interrupt_track(const char *path);
void ob_interrupt_untrack(int slot);

#endif
