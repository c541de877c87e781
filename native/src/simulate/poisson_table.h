/* Building and freeing the Poisson inversion tables of samplers.h (host side). */
#ifndef SIMULATE_POISSON_TABLE_H
#define SIMULATE_POISSON_TABLE_H

#include "mumloc.h"
#include "simulate/samplers.h"

/* Tables stay small (under 2,600 entries) up to this mean; beyond it PTRS is fast anyway. */
#define POISSON_TABLE_MAX_MEAN 2000.0

mumloc_status poisson_table_build(double mean, poisson_table *table);
void poisson_table_free(poisson_table *table);

#endif
