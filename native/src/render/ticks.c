/* Round axis steps (see ticks.h). */
#include "render/ticks.h"

#include <math.h>

double ticks_round_step(double range, double intervals) {
    double raw = range / intervals;
    double magnitude = pow(10.0, floor(log10(raw)));
    const double factors[] = {1.0, 2.0, 5.0, 10.0};
    for (int i = 0; i < 4; i++)
        if (factors[i] * magnitude >= raw * (1 - 1e-9)) return factors[i] * magnitude;
    return 10.0 * magnitude;
}
