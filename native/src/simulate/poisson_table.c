/* Builds the inversion table of a Poisson law of fixed mean (see poisson_table). */
#include "simulate/poisson_table.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

mumloc_status poisson_table_build(double mean, poisson_table *table) {
    table->mean = mean;
    table->size = 0;
    table->cdf = NULL;
    table->guide = NULL;
    if (!(mean >= 0.0) || mean > POISSON_TABLE_MAX_MEAN)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "poisson table: mean must be in [0, %g] (got %g)",
                           POISSON_TABLE_MAX_MEAN, mean);
    /* Twelve standard deviations and a margin leave a tail far below the 2^-32 resolution of the
     * uniforms, so the table's end is never the answer by truncation. */
    int size = (int)ceil(mean + 12.0 * sqrt(mean) + 20.0);
    double *cdf = malloc((size_t)size * sizeof *cdf);
    int *guide = malloc((size_t)size * sizeof *guide);
    if (!cdf || !guide) {
        free(cdf);
        free(guide);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "poisson table: out of memory (%d entries)", size);
    }
    /* pmf in log space: exp(−mean) alone would underflow for large means. Poisson(0) is 0. */
    double log_mean = mean > 0.0 ? log(mean) : 0.0, sum = 0.0;
    for (int k = 0; k < size; k++) {
        sum += mean > 0.0 ? exp(-mean + k * log_mean - log_factorial(k)) : (k == 0);
        cdf[k] = sum;
    }
    int k = 0;
    for (int j = 0; j < size; j++) {
        double level = (double)j / size;
        while (k < size - 1 && cdf[k] < level) k++;
        guide[j] = k;
    }
    table->size = size;
    table->cdf = cdf;
    table->guide = guide;
    return MUMLOC_OK;
}

void poisson_table_free(poisson_table *table) {
    free((void *)table->cdf);
    free((void *)table->guide);
    table->cdf = NULL;
    table->guide = NULL;
    table->size = 0;
}
