/* PSF sections for display (see psf_sections.h). */
#include "optics/psf_sections.h"

#include <math.h>

#include "core/error.h"

void psf_sections_grid_of(const psf_model *m, int plane, psf_sections_grid *g) {
    const spline_plane_psf *s = &m->spline[plane];
    g->lateral = 2 * s->half * s->oversample + 1;
    g->lateral_step_nm = s->pixel_nm / s->oversample;
    g->depths = 2 * (s->nz - 1) + 1;
    g->z0_nm = s->z0_nm;
    g->z_step_nm = 0.5 * s->z_step_nm;
    g->width = 4 * g->lateral + 3;
    g->height = g->depths;
}

mumloc_status psf_sections(const psf_model *spline, int plane,
                                  const psf_sections_grid *g, float *out) {
    ERROR_TRY(psf_model_check(spline));
    if (spline->kind != MUMLOC_PSF_SPLINE || plane < 0 || plane >= spline->optics->planes)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "PSF sections need a spline model and a plane 1..%d (got %d)",
                           spline->optics->planes, plane + 1);
    const psf_model gauss = {MUMLOC_PSF_GAUSSIAN, spline->optics, NULL};
    const double p = spline->optics->pixel_nm, centre = 0.5 * p; /* pixel (0, 0)'s centre */
    const int c = g->lateral / 2;
    for (int r = 0; r < g->height; r++) {
        const double z = g->z0_nm + r * g->z_step_nm;
        float *row = out + (size_t)r * g->width;
        for (int a = 0; a < g->width; a++) row[a] = 0.0f;
        for (int u = 0; u < g->lateral; u++) {
            /* the pixel lies (u − c) h from the molecule: the molecule at −(u − c) h from its centre */
            const double off = -(u - c) * g->lateral_step_nm;
            double v[4];
            ERROR_TRY(psf_model_eval(spline, plane, centre + off, centre, z, NULL, 0, 0, 1, 1,
                                             &v[0], NULL, NULL, NULL));
            ERROR_TRY(psf_model_eval(&gauss, plane, centre + off, centre, z, NULL, 0, 0, 1, 1,
                                             &v[1], NULL, NULL, NULL));
            ERROR_TRY(psf_model_eval(spline, plane, centre, centre + off, z, NULL, 0, 0, 1, 1,
                                             &v[2], NULL, NULL, NULL));
            ERROR_TRY(psf_model_eval(&gauss, plane, centre, centre + off, z, NULL, 0, 0, 1, 1,
                                             &v[3], NULL, NULL, NULL));
            for (int panel = 0; panel < 4; panel++)
                row[panel * (g->lateral + 1) + u] = (float)v[panel];
        }
    }
    return MUMLOC_OK;
}
