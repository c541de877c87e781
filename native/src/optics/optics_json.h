/* The optics as JSON: one writer shared by optics files and by the parameter record that every
 * simulated movie (and later every model file) carries, so the two can never drift apart. */
#ifndef IO_OPTICS_JSON_H
#define IO_OPTICS_JSON_H

#include "io/json.h"
#include "io/text_buffer.h"
#include "mumloc.h"

/* Appends {"planes":…,"plane_depth_nm":[…],"pixel_nm":…,…} (and "plane_psf":[{…},…] when
 * per_plane; nothing new otherwise, so the papers' optics are written as before). pretty: one field
 * per line, indented by two spaces (for files people edit); otherwise compact on one line.
 * Locale-independent. */
void optics_write_json(text_buffer *out, const mumloc_optics *optics, int pretty);

/* The same members without the braces, for another writer's open object (e.g. a rig file's
 * "optics": { … }). indent < 0: compact, members separated by ","; indent ≥ 0: every member on its
 * own line ("\n" then indent spaces before each, plane_psf items two deeper), nothing after the
 * last. Writes no comma before the first member: a caller that already wrote members adds it. */
void optics_write_json_members(text_buffer *out, const mumloc_optics *optics, int indent);

/* Reads an optics object (an optics file's document, or the "optics" member of a movie's, model's or
 * rig's record) into optics: fields missing keep the values optics holds on entry (require_all: every
 * field must be there, as optics_write_json writes them, and a record without "plane_psf"
 * means per_plane 0), unknown fields and
 * wrong types are MUMLOC_ERR_FORMAT, out-of-range values MUMLOC_ERR_INVALID_ARGUMENT; label names
 * the source in messages. optics may be changed even on failure: callers pass a scratch copy. */
mumloc_status optics_from_json(const json_value *object, const char *label,
                                      int require_all, mumloc_optics *optics);

#endif
