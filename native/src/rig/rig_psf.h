/* A rig's PSF model (issue 13): the Gaussian of its optics, or the measured spline PSF file its rig
 * file references ("psf": {"model": "spline", "file": ..., "hash": ...}). Every fit made with a rig
 * takes its psf_model from here. */
#ifndef RIG_RIG_PSF_H
#define RIG_RIG_PSF_H

#include "mumloc.h"
#include "optics/psf_interface.h"
#include "optics/spline_file.h"

/* The spline file's path as the rig gives it: psf_path when loaded from a file, else psf_file. */
const char *rig_psf_file_path(const mumloc_rig *rig);

/* Checks a loaded spline set against the rig: same content hash, one spline per plane, the rig's
 * pixel. path names the file in messages. */
mumloc_status rig_psf_check(const mumloc_rig *rig, const spline_set *set,
                                   const char *path);

/* The rig's model for fits and bounds. Gaussian: {MUMLOC_PSF_GAUSSIAN, &rig->optics} and set stays
 * empty. Spline: loads the rig's spline file into set (checked as above) and points the model at
 * its planes. The model refers to rig and set: keep both alive while it is used, then
 * spline_set_free(set). */
mumloc_status rig_psf_model(const mumloc_rig *rig, spline_set *set,
                                   psf_model *model);

#endif
