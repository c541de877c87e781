/* The library-wide thread setting (see runtime.c). */
#ifndef CORE_RUNTIME_H
#define CORE_RUNTIME_H

#include "mumloc.h"

/* Applies mumloc_set_threads' value to the calling thread's OpenMP pool; call on entry to every
 * API function that runs parallel work. */
void threads_apply(void);

#endif
