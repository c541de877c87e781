/* Fills the normal CDF table (see normal_table.h). */
#include "render/normal_table.h"

#include <math.h>

void normal_table_fill(normal_table *table) {
    for (int i = 0; i <= NORMAL_TABLE_STEPS; i++) {
        double u = -NORMAL_TABLE_LIMIT + i * (2.0 * NORMAL_TABLE_LIMIT / NORMAL_TABLE_STEPS);
        table->value[i] = 0.5 * erfc(-u * 0.70710678118654752440);
    }
}
