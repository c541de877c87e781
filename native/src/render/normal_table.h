/* The standard normal CDF Φ from a table with linear interpolation: a Gaussian kernel needs Φ at every
 * pixel edge it covers, and erfc there dominated the Gaussian method's time. With 32768 steps over
 * [−8, 8] the interpolation error is below 1e-8 (h²/8 · max|Φ''|); beyond ±8, Φ is 0 or 1 to 1e-15. */
#ifndef RENDER_NORMAL_TABLE_H
#define RENDER_NORMAL_TABLE_H

enum { NORMAL_TABLE_STEPS = 32768 };
#define NORMAL_TABLE_LIMIT 8.0

typedef struct normal_table {
    double value[NORMAL_TABLE_STEPS + 1]; /* Φ(−8 + i · 16 / STEPS) */
} normal_table;

void normal_table_fill(normal_table *table);

static inline double normal_table_cdf(const normal_table *table, double u) {
    if (!(u > -NORMAL_TABLE_LIMIT)) return 0.0;
    if (u >= NORMAL_TABLE_LIMIT) return 1.0;
    double position = (u + NORMAL_TABLE_LIMIT) * (NORMAL_TABLE_STEPS / (2.0 * NORMAL_TABLE_LIMIT));
    int i = (int)position;
    if (i >= NORMAL_TABLE_STEPS) i = NORMAL_TABLE_STEPS - 1;
    double frac = position - i;
    return table->value[i] + frac * (table->value[i + 1] - table->value[i]);
}

#endif
