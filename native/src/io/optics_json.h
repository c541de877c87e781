/* The optics as JSON: one writer shared by optics files and by the parameter record that every
 * simulated movie (and later every model file) carries, so the two can never drift apart. */
#ifndef MUMLOC_IO_OPTICS_JSON_H
#define MUMLOC_IO_OPTICS_JSON_H

#include "io/json.h"
#include "io/text_buffer.h"
#include "mumloc.h"

/* Appends {"planes":…,"plane_depth_nm":[…],"pixel_nm":…,…}. pretty: one field per line, indented
 * by two spaces (for files people edit); otherwise compact on one line. Locale-independent. */
void mumloc_optics_write_json(mumloc_text *out, const mumloc_optics *optics, int pretty);

/* Reads an optics object (an optics file's document, or the "optics" member of a movie's or model's
 * record) into optics: fields missing keep the values optics holds on entry (require_all: every
 * field must be there, as mumloc_optics_write_json writes them), unknown fields and
 * wrong types are MUMLOC_ERR_FORMAT, out-of-range values MUMLOC_ERR_INVALID_ARGUMENT; label names
 * the source in messages. optics may be changed even on failure: callers pass a scratch copy. */
mumloc_status mumloc_optics_from_json(const mumloc_json *object, const char *label,
                                      int require_all, mumloc_optics *optics);

#endif
