/* clock.h - the one monotonic clock: seconds since an arbitrary fixed point, for
 * measuring intervals (optimization time, epoch time, elapsed time in progress lines). */
#ifndef OB_CLOCK_H
#define OB_CLOCK_H

double ob_clock_now(void); /* CLOCK_MONOTONIC, in seconds */

#endif
