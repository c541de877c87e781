/* Host-side construction of the ziggurat tables (ziggurat.h). */
#ifndef SIMULATE_ZIGGURAT_BUILD_H
#define SIMULATE_ZIGGURAT_BUILD_H

#include "simulate/ziggurat.h"

void ziggurat_build(ziggurat_table *z);

#endif
