/* The optics as JSON: one writer shared by optics files and by the parameter record that every
 * simulated movie (and later every model file) carries, so the two can never drift apart. */
#ifndef MUMLOC_IO_OPTICS_JSON_H
#define MUMLOC_IO_OPTICS_JSON_H

#include "io/text_buffer.h"
#include "mumloc.h"

/* Appends {"planes":…,"plane_depth_nm":[…],"pixel_nm":…,…}. pretty: one field per line, indented
 * by two spaces (for files people edit); otherwise compact on one line. Locale-independent. */
void mumloc_optics_write_json(mumloc_text *out, const mumloc_optics *optics, int pretty);

#endif
