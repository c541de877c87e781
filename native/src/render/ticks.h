/* Round axis steps for the colour bar and the plots. */
#ifndef RENDER_TICKS_H
#define RENDER_TICKS_H

/* The smallest step of 1, 2 or 5 × 10^k that is at least range / intervals (range > 0). */
double ticks_round_step(double range, double intervals);

#endif
