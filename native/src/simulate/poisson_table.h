/* Building and freeing the Poisson inversion tables of samplers.h (host side). */
#ifndef MUMLOC_SIMULATE_POISSON_TABLE_H
#define MUMLOC_SIMULATE_POISSON_TABLE_H

#include "mumloc.h"
#include "simulate/samplers.h"

/* Tables stay small (under 2,600 entries) up to this mean; beyond it PTRS is fast anyway. */
#define MUMLOC_POISSON_TABLE_MAX_MEAN 2000.0

mumloc_status mumloc_poisson_table_build(double mean, mumloc_poisson_table *table);
void mumloc_poisson_table_free(mumloc_poisson_table *table);

#endif
