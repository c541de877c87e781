/* PSF sections for display (optics/psf_sections.h): for a spline built from the Gaussian model, the
 * measured panels equal the Gaussian panels (to the spline's interpolation error, away from the
 * z ends); for an astigmatic
 * spline the xz section is narrowest at the x focus and the yz section at the y focus; a Gaussian
 * model is refused (there is nothing measured to show). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gaussian_spline.h"
#include "optics/psf_sections.h"

/* The depth row where a panel's centre sample (molecule on the pixel centre) peaks. */
static int peak_row(const float *img, const psf_sections_grid *g, int panel) {
    int best = 0;
    for (int r = 0; r < g->height; r++)
        if (img[(size_t)r * g->width + panel * (g->lateral + 1) + g->lateral / 2] >
            img[(size_t)best * g->width + panel * (g->lateral + 1) + g->lateral / 2])
            best = r;
    return best;
}

int main(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    spline_plane_psf s[MUMLOC_MAX_PLANES];
    for (int d = 0; d < 4; d++) gaussian_spline_of_plane(&o, d, 4, 16, 41, -200.0, 50.0, &s[d]);
    psf_model m = {MUMLOC_PSF_SPLINE, &o, s};
    psf_sections_grid g;
    psf_sections_grid_of(&m, 2, &g);
    CHECK(g.lateral == 129 && g.height == 81 && g.width == 4 * 129 + 3);
    float *img = malloc(sizeof(float) * g.width * g.height);
    CHECK_OK(psf_sections(&m, 2, &g, img));
    double worst = 0, peak = 0;
    for (int r = 4; r < g.height - 4; r++) /* 2 z nodes from the ends, where mirror ends bend it */
        for (int u = 0; u < g.lateral; u++) {
            const float *row = img + (size_t)r * g.width;
            peak = fmax(peak, row[g.lateral + 1 + u]);
            worst = fmax(worst, fabs(row[u] - row[g.lateral + 1 + u]));           /* xz */
            worst = fmax(worst, fabs(row[2 * (g.lateral + 1) + u] - row[3 * (g.lateral + 1) + u]));
        }
    printf("Gaussian-built spline: sections differ from the Gaussian's by %.2e (peak %.3f)\n", worst, peak);
    CHECK(worst < 1e-3 * peak);
    /* plane 3 images 1000 nm: the peak row is its focus */
    CHECK_NEAR(g.z0_nm + peak_row(img, &g, 1) * g.z_step_nm, o.plane_depth_nm[2], 1e-9);
    for (int d = 0; d < 4; d++) spline_psf_free(&s[d]);

    /* astigmatic: x focus at 1100 nm, y focus at 500 nm */
    o.planes = 1;
    o.plane_depth_nm[0] = 800;
    astigmatic_spline(o.pixel_nm, 4, 8, 41, -200.0, 50.0, 1100.0, 500.0, 130.0, 400.0, &s[0]);
    psf_sections_grid_of(&m, 0, &g);
    CHECK_OK(psf_sections(&m, 0, &g, img));
    /* narrowest along x where the xz section's off-centre samples are smallest relative to the
     * centre: compare the second moment of each row */
    double best_x = 1e30, best_y = 1e30;
    int row_x = -1, row_y = -1;
    for (int r = 0; r < g.height; r++) {
        const float *row = img + (size_t)r * g.width;
        double mx = 0, sx = 0, my = 0, sy = 0;
        for (int u = 0; u < g.lateral; u++) {
            double t = (u - g.lateral / 2) * g.lateral_step_nm;
            mx += row[u], sx += row[u] * t * t;
            my += row[2 * (g.lateral + 1) + u], sy += row[2 * (g.lateral + 1) + u] * t * t;
        }
        if (sx / mx < best_x) best_x = sx / mx, row_x = r;
        if (sy / my < best_y) best_y = sy / my, row_y = r;
    }
    CHECK_NEAR(g.z0_nm + row_x * g.z_step_nm, 1100.0, 1e-9);
    CHECK_NEAR(g.z0_nm + row_y * g.z_step_nm, 500.0, 1e-9);
    psf_model gauss = {MUMLOC_PSF_GAUSSIAN, &o, NULL};
    CHECK_STATUS(psf_sections(&gauss, 0, &g, img), MUMLOC_ERR_INVALID_ARGUMENT);
    spline_psf_free(&s[0]);
    free(img);
    return CHECK_DONE("test_psf_sections");
}
