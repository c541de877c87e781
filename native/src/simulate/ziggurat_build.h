/* Host-side construction of the ziggurat tables (ziggurat.h). */
#ifndef MUMLOC_SIMULATE_ZIGGURAT_BUILD_H
#define MUMLOC_SIMULATE_ZIGGURAT_BUILD_H

#include "simulate/ziggurat.h"

void mumloc_ziggurat_build(mumloc_ziggurat *z);

#endif
