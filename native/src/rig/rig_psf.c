/* A rig's PSF model (see rig_psf.h) and the spline file beside a rig file. */
#include "rig/rig_psf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

mumloc_status mumloc_rig_psf_sidecar_path(const char *rig_path, char *buf, size_t cap) {
    if (!rig_path || !*rig_path || !buf)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "spline PSF file name: no rig path given");
    size_t len = strlen(rig_path);
    const char *slash = strrchr(rig_path, '/');
    const char *name = slash ? slash + 1 : rig_path;
    size_t stem = len;
    if (len - (size_t)(name - rig_path) > 5 && strcmp(rig_path + len - 5, ".json") == 0) stem -= 5;
    int wrote = snprintf(buf, cap, "%.*s.psf.safetensors", (int)stem, rig_path);
    if (wrote < 0 || (size_t)wrote >= cap)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "spline PSF file name for rig '%s' is longer than %zu bytes; use a "
                           "shorter path",
                           rig_path, cap ? cap - 1 : 0);
    return MUMLOC_OK;
}

const char *rig_psf_file_path(const mumloc_rig *rig) {
    return rig->psf_path[0] ? rig->psf_path : rig->psf_file;
}

mumloc_status rig_psf_check(const mumloc_rig *rig, const spline_set *set,
                                   const char *path) {
    if (strcmp(set->sha256, rig->psf_hash) != 0)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' is not the one the rig was calibrated with: its "
                           "hash is %.12s…, the rig's \"psf\" says %.12s…; put the calibration's "
                           "file back or recalibrate with --psf spline",
                           path, set->sha256, rig->psf_hash);
    if (set->planes != rig->optics.planes)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' holds %d planes but the rig has %d; recalibrate "
                           "with --psf spline",
                           path, set->planes, rig->optics.planes);
    const double p = rig->optics.pixel_nm, q = set->plane[0].pixel_nm;
    if (!(fabs(p - q) <= 1e-9 * p))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' was measured with %g nm pixels but the rig says "
                           "%g nm; recalibrate with --psf spline",
                           path, q, p);
    return MUMLOC_OK;
}

mumloc_status rig_psf_model(const mumloc_rig *rig, spline_set *set,
                                   psf_model *model) {
    if (!rig || !set || !model)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig PSF model: NULL argument");
    memset(set, 0, sizeof *set);
    *model = (psf_model){MUMLOC_PSF_GAUSSIAN, &rig->optics, NULL};
    if (rig->psf == MUMLOC_PSF_GAUSSIAN) return MUMLOC_OK;
    const char *path = rig_psf_file_path(rig);
    ERROR_TRY(spline_set_load(path, set));
    mumloc_status s = rig_psf_check(rig, set, path);
    if (s == MUMLOC_OK) {
        *model = (psf_model){MUMLOC_PSF_SPLINE, &rig->optics, set->plane};
        s = psf_model_check(model);
    }
    if (s != MUMLOC_OK) {
        spline_set_free(set);
        *model = (psf_model){MUMLOC_PSF_GAUSSIAN, &rig->optics, NULL};
    }
    return s;
}
