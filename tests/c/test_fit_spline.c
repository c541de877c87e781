/* Fits through a measured PSF (the plane map's spline, optics/plane_map.h): with splines built from
 * the Gaussian model's own pixel values, every fit — photometry and CRLB (measure), single and
 * multi-emitter refinement (refine), and the joint drift fit (refine_with_drift) — gives what the
 * Gaussian fits give on the same noisy frames, to within a small fraction of the bounds. The
 * reference is the Gaussian path itself (an independent model evaluation: erf factors vs cubic
 * spline coefficients), also through a general rig map (mirror, rotation, scale). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fit/mapped_fits.h"
#include "mumloc.h"
#include "optics/plane_map.h"
#include "optics/psf_model.h"
#include "optics/spline_psf.h"

enum { OS = 2, HALF = 24, NZ = 121, SIDE = 40, MOLECULES = 5 };
static const double Z0 = -500.0, ZSTEP = 20.0;

/* The Gaussian model's pixel values of plane d on the spline's nodes, in the camera's own units
 * (width scaled as the map scales it). */
static void spline_of_plane(const mumloc_optics *o, int d, double scale, spline_plane_psf *out) {
    const int n = 2 * HALF * OS + 1, c = HALF * OS;
    const double p = o->pixel_nm, h = p / OS;
    double *values = malloc(sizeof(double) * n * n * NZ), mass[2 * HALF * OS + 1];
    for (int m = 0; m < NZ; m++) {
        double w = scale * mumloc_psf_plane_width_nm(o, d, o->plane_depth_nm[d] - (Z0 + m * ZSTEP));
        for (int u = 0; u < n; u++) psf_masses(0.5 * p - (u - c) * h, w, p, 0, 1, &mass[u], NULL, NULL);
        for (int v = 0; v < n; v++)
            for (int u = 0; u < n; u++) values[((size_t)m * n + v) * n + u] = mass[u] * mass[v];
    }
    CHECK_OK(spline_psf_from_nodes(p, OS, HALF, NZ, Z0, ZSTEP, values, out));
    free(values);
}

static double normal(unsigned *s) {
    double u1, u2;
    *s = *s * 1664525u + 1013904223u;
    u1 = ((*s >> 8) + 0.5) / 16777216.0;
    *s = *s * 1664525u + 1013904223u;
    u2 = ((*s >> 8) + 0.5) / 16777216.0;
    return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

static void noisy_frame(const mumloc_optics *o, const plane_map *map, const double *truth,
                        const double *drift, unsigned seed, double noise, float *frame) {
    const size_t n = (size_t)o->planes * SIDE * SIDE;
    double *mu = malloc(sizeof(double) * n), *one = malloc(sizeof(double) * n);
    for (size_t i = 0; i < n; i++) mu[i] = 10.0;
    for (int m = 0; m < MOLECULES; m++) {
        CHECK_OK(psf_model_image(o, truth[3 * m], truth[3 * m + 1], truth[3 * m + 2], 4000,
                                        NULL, drift, map, SIDE, SIDE, one, NULL, NULL, NULL, NULL));
        for (size_t i = 0; i < n; i++) mu[i] += one[i];
    }
    for (size_t i = 0; i < n; i++) frame[i] = (float)(mu[i] + noise * sqrt(mu[i]) * normal(&seed));
    free(mu);
    free(one);
}

static void compare(const char *label, const plane_map *gauss_map, double scale) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    o.pixel_nm = 110.0;
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    spline_plane_psf splines[4];
    for (int d = 0; d < o.planes; d++)
        spline_of_plane(&o, d, gauss_map ? gauss_map->width_scale[d] : scale, &splines[d]);
    plane_map spline_map;
    if (gauss_map) {
        spline_map = *gauss_map;
    } else { /* registered planes: the identity map */
        memset(&spline_map, 0, sizeof spline_map);
        spline_map.planes = o.planes;
        for (int d = 0; d < o.planes; d++) {
            spline_map.jacobian[d][0] = spline_map.jacobian[d][3] = 1.0;
            spline_map.width_scale[d] = 1.0;
        }
    }
    spline_map.spline = splines;

    /* the expected image through the spline map is the Gaussian's */
    const size_t pixels = (size_t)o.planes * SIDE * SIDE;
    double *mu_g = malloc(sizeof(double) * pixels), *mu_s = malloc(sizeof(double) * pixels);
    CHECK_OK(psf_model_image(&o, 2100, 2000, 600, 5000, NULL, NULL, gauss_map, SIDE, SIDE, mu_g, NULL, NULL, NULL, NULL));
    CHECK_OK(psf_model_image(&o, 2100, 2000, 600, 5000, NULL, NULL, &spline_map, SIDE, SIDE, mu_s, NULL, NULL, NULL, NULL));
    double peak = 0, worst_image = 0;
    for (size_t i = 0; i < pixels; i++) peak = fmax(peak, mu_g[i]), worst_image = fmax(worst_image, fabs(mu_s[i] - mu_g[i]));
    printf("%s: expected image within %.4f %% of the peak\n", label, 100 * worst_image / peak);
    CHECK(worst_image < 0.005 * peak);
    free(mu_g);
    free(mu_s);

    /* molecules spread over the field and depths, two of them close (multi-emitter) */
    const double truth[3 * MOLECULES] = {1200, 1300, 250, 3000, 1500, 700,  1800, 3000, 1100,
                                         2800, 3100, 400, 3250, 3200, 550};
    const double drift[8] = {0, 0, 30, -20, -15, 25, 40, 10};
    float *frame = malloc(sizeof(float) * o.planes * SIDE * SIDE);
    noisy_frame(&o, gauss_map, truth, drift, 11, 1.0, frame);
    mumloc_localization g[MOLECULES], s[MOLECULES];
    for (int m = 0; m < MOLECULES; m++) {
        g[m] = (mumloc_localization){0, truth[3 * m] + 40, truth[3 * m + 1] - 30, truth[3 * m + 2] + 60,
                                     1, 0, {0}, 0, 0, 0, 0, -1};
        s[m] = g[m];
    }
    CHECK_OK(localizations_refine_mapped(&o, &camera, gauss_map, frame, SIDE, SIDE, drift, g, MOLECULES));
    CHECK_OK(localizations_refine_mapped(&o, &camera, &spline_map, frame, SIDE, SIDE, drift, s, MOLECULES));
    CHECK_OK(localizations_measure_mapped(&o, &camera, gauss_map, frame, SIDE, SIDE, drift, g, MOLECULES));
    CHECK_OK(localizations_measure_mapped(&o, &camera, &spline_map, frame, SIDE, SIDE, drift, s, MOLECULES));
    double worst_xy = 0, worst_z = 0, worst_photons = 0, worst_bound = 0;
    for (int m = 0; m < MOLECULES; m++) {
        worst_xy = fmax(worst_xy, fmax(fabs(g[m].x_nm - s[m].x_nm), fabs(g[m].y_nm - s[m].y_nm)) / g[m].uncertainty_xy_nm);
        worst_z = fmax(worst_z, fabs(g[m].z_nm - s[m].z_nm) / g[m].uncertainty_z_nm);
        worst_photons = fmax(worst_photons, fabs(s[m].photons / g[m].photons - 1));
        worst_bound = fmax(worst_bound, fabs(s[m].uncertainty_xy_nm / g[m].uncertainty_xy_nm - 1));
        worst_bound = fmax(worst_bound, fabs(s[m].uncertainty_z_nm / g[m].uncertainty_z_nm - 1));
        CHECK(fabs(g[m].x_nm - truth[3 * m]) < 4 * g[m].uncertainty_xy_nm + 5);
    }
    printf("%s: spline vs Gaussian refine: xy %.3f σ, z %.3f σ; photons %.4f; CRLB %.4f\n", label,
           worst_xy, worst_z, worst_photons, worst_bound);
    CHECK(worst_xy < 0.05 && worst_z < 0.05);
    CHECK(worst_photons < 0.005 && worst_bound < 0.02);

    /* the joint drift fit (planes 2..4's drift with the molecules) */
    mumloc_frame_drift dg, ds;
    for (int m = 0; m < MOLECULES; m++) {
        g[m].x_nm = s[m].x_nm = truth[3 * m] + 20;
        g[m].y_nm = s[m].y_nm = truth[3 * m + 1] - 20;
        g[m].z_nm = s[m].z_nm = truth[3 * m + 2] + 30;
    }
    CHECK_OK(localizations_refine_with_drift_mapped(&o, &camera, gauss_map, frame, SIDE, SIDE, g, MOLECULES, &dg));
    CHECK_OK(localizations_refine_with_drift_mapped(&o, &camera, &spline_map, frame, SIDE, SIDE, s, MOLECULES, &ds));
    double worst_drift = 0;
    for (int i = 2; i < 2 * o.planes; i++) worst_drift = fmax(worst_drift, fabs(dg.dx_dy[i] - ds.dx_dy[i]));
    printf("%s: drift fit: planes' drift within %.3f nm of the Gaussian's\n", label, worst_drift);

    CHECK(worst_drift < 1.0);
    for (int d = 0; d < o.planes; d++) spline_psf_free(&splines[d]);
    free(frame);
}

int main(void) {
    compare("registered planes", NULL, 1.0);
    mumloc_rig rig;
    mumloc_rig_default(&rig, 4, SIDE, SIDE);
    rig.optics.pixel_nm = 110.0;
    const double mirror[6] = {-1.0, 0.0, SIDE + 0.4, 0.0, 1.0, -0.7};
    const double turned[6] = {1.008 * cos(0.006), -1.008 * sin(0.006), 0.5, 1.008 * sin(0.006), 1.008 * cos(0.006), -0.3};
    memcpy(rig.camera[1].to_camera, mirror, sizeof mirror);
    rig.camera[1].flip_x = 1;
    memcpy(rig.camera[2].to_camera, turned, sizeof turned);
    plane_map map;
    plane_map_from_rig(&rig, &map);
    compare("rig map", &map, 1.0);
    return CHECK_DONE("test_fit_spline");
}
