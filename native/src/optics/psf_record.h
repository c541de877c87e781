/* Which PSF something was made with (issue 13): the record a model's metadata "psf" and a simulated
 * movie's description carry, {"model": "spline", "hash": "<64 hex>", "file": "name"} — the spline's
 * content hash (optics/spline_file.h: SHA-256 of its coefficients) names the measured PSF, "file"
 * says where it came from (the rig's spline file, informational). The Gaussian model has no record
 * (or {"model": "gaussian"}): files written before splines existed mean the Gaussian. */
#ifndef OPTICS_PSF_RECORD_H
#define OPTICS_PSF_RECORD_H

#include <stddef.h>

#include "io/text_buffer.h"
#include "mumloc.h"

typedef struct psf_record {
    mumloc_psf_kind kind;
    char hash[65];                 /* spline: 64 hex digits */
    char file[MUMLOC_RIG_PSF_FILE_MAX]; /* spline: the spline file's name, "" unknown */
} psf_record;

/* The record of a rig's PSF (its "psf" member). */
void psf_record_of_rig(const mumloc_rig *rig, psf_record *out);

/* Writes the record as one JSON object (no spaces, no backslashes unless the file name has one). */
void psf_record_write(text_buffer *out, const psf_record *record);

/* Reads a record from JSON text (NULL or "": the Gaussian). label names the text in messages;
 * MUMLOC_ERR_FORMAT for a malformed record. */
mumloc_status psf_record_parse(const char *json, const char *label, psf_record *out);

/* Reads the "psf" member of a description record ("mumloc={...}" or the JSON alone, as simulated
 * movies carry); none: the Gaussian. */
mumloc_status psf_record_from_description(const char *description, psf_record *out);

/* 1 when a and b name different PSFs (kind, or the spline's hash), with a sentence for messages in
 * why: "the measured spline PSF 0123456789ab… (model) vs the Gaussian model (rig)" with the two
 * labels. */
int psf_record_differs(const psf_record *a, const char *a_label,
                              const psf_record *b, const char *b_label, char *why,
                              size_t cap);

#endif
