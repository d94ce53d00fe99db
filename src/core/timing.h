/*
 * Clocks for the progress lines: seconds on a clock, as a double.
 */
#ifndef LS_CORE_TIMING_H
#define LS_CORE_TIMING_H

#include <time.h>

/* Seconds on clock c (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, ...). */
static inline double ls_clock_s(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall-clock seconds from an arbitrary origin. */
static inline double ls_wall_s(void)
{
	return ls_clock_s(CLOCK_MONOTONIC);
}

#endif
