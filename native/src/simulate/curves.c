/* Structured samples for demos: one 3D helix (as in Aritake et al. 2021, Fig. 9) or a few smooth,
 * microtubule-like 3D filaments, built once from the seed and tabulated as dense polylines. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "simulate/rng.h"
#include "simulate/simulator.h"

#define TWO_PI 6.283185307179586
/* Dense enough that chords deviate from the smooth curve by far less than a nanometre. */
#define HELIX_POINTS 4096
#define FILAMENT_POINTS 2048
/* Structured samples keep 5 % of the field free on every side. */
#define MARGIN 0.05

static mumloc_status curve_alloc(sim_curve *c, int points) {
    c->points = points;
    c->x = malloc(4 * (size_t)points * sizeof(double));
    if (!c->x)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "simulator: out of memory for the sample's curves");
    c->y = c->x + points;
    c->z = c->y + points;
    c->arc = c->z + points;
    return MUMLOC_OK;
}

static void curve_measure(sim_curve *c) {
    c->arc[0] = 0.0;
    for (int i = 1; i < c->points; i++) {
        double dx = c->x[i] - c->x[i - 1], dy = c->y[i] - c->y[i - 1], dz = c->z[i] - c->z[i - 1];
        c->arc[i] = c->arc[i - 1] + sqrt(dx * dx + dy * dy + dz * dz);
    }
}

/* An elliptical helix whose axis runs along x through the middle of the field and of the z range:
 * three turns over the central 90 % of the width, lateral radius a quarter of the field height,
 * depth radius 45 % of the z range; the phase comes from the seed. */
static void build_helix(const mumloc_sim_params *p, sim_curve *c) {
    double w_nm = p->width * p->optics.pixel_nm, h_nm = p->height * p->optics.pixel_nm;
    double z_mid = 0.5 * (p->z_min_nm + p->z_max_nm), z_radius = 0.45 * (p->z_max_nm - p->z_min_nm);
    philox_rng r = rng_stream(p->seed, 0, RNG_STRUCTURE, 0, 0);
    double phase0 = TWO_PI * rng_uniform(&r);
    double x0 = MARGIN * w_nm, length = (1.0 - 2.0 * MARGIN) * w_nm;
    for (int i = 0; i < c->points; i++) {
        double t = (double)i / (c->points - 1);
        double phase = phase0 + TWO_PI * 3.0 * t;
        c->x[i] = x0 + t * length;
        c->y[i] = 0.5 * h_nm + 0.25 * h_nm * cos(phase);
        c->z[i] = z_mid + z_radius * sin(phase);
    }
}

/* A filament: a planar curve whose heading wanders smoothly (two sinusoids of the arc length), scaled
 * down if needed and placed at random inside the field, with a depth that varies as a slow sinusoid
 * kept inside [z_min, z_max]. Filament f draws from its own stream. */
static void build_filament(const mumloc_sim_params *p, int f, sim_curve *c) {
    double w_nm = p->width * p->optics.pixel_nm, h_nm = p->height * p->optics.pixel_nm;
    philox_rng r = rng_stream(p->seed, 0, RNG_STRUCTURE, 0, (uint32_t)f);
    double length = (0.6 + 0.6 * rng_uniform(&r)) * sqrt(w_nm * h_nm);
    double heading0 = TWO_PI * rng_uniform(&r);
    double a1 = 0.4 + 0.6 * rng_uniform(&r);
    double k1 = TWO_PI / (length * (0.7 + 0.9 * rng_uniform(&r)));
    double phi1 = TWO_PI * rng_uniform(&r);
    double a2 = 0.1 + 0.2 * rng_uniform(&r);
    double k2 = TWO_PI / (length * (0.2 + 0.3 * rng_uniform(&r)));
    double phi2 = TWO_PI * rng_uniform(&r);
    double half = 0.5 * (p->z_max_nm - p->z_min_nm);
    double z_amp = half * (0.4 + 0.55 * rng_uniform(&r));
    double z_centre = p->z_min_nm + half + (2.0 * rng_uniform(&r) - 1.0) * (half - z_amp);
    double kz = TWO_PI / (length * (1.0 + 2.0 * rng_uniform(&r)));
    double phiz = TWO_PI * rng_uniform(&r);
    double place_x = rng_uniform(&r), place_y = rng_uniform(&r);

    int n = c->points;
    double ds = length / (n - 1);
    c->x[0] = c->y[0] = 0.0;
    for (int i = 1; i < n; i++) {
        double s = (i - 0.5) * ds; /* midpoint rule for the heading along the step */
        double heading = heading0 + a1 * sin(k1 * s + phi1) + a2 * sin(k2 * s + phi2);
        c->x[i] = c->x[i - 1] + ds * cos(heading);
        c->y[i] = c->y[i - 1] + ds * sin(heading);
    }
    double min_x = c->x[0], max_x = c->x[0], min_y = c->y[0], max_y = c->y[0];
    for (int i = 1; i < n; i++) {
        min_x = fmin(min_x, c->x[i]);
        max_x = fmax(max_x, c->x[i]);
        min_y = fmin(min_y, c->y[i]);
        max_y = fmax(max_y, c->y[i]);
    }
    double room_x = (1.0 - 2.0 * MARGIN) * w_nm, room_y = (1.0 - 2.0 * MARGIN) * h_nm;
    double scale = 1.0;
    if (max_x - min_x > room_x) scale = fmin(scale, room_x / (max_x - min_x));
    if (max_y - min_y > room_y) scale = fmin(scale, room_y / (max_y - min_y));
    double left = MARGIN * w_nm + place_x * (room_x - scale * (max_x - min_x));
    double top = MARGIN * h_nm + place_y * (room_y - scale * (max_y - min_y));
    for (int i = 0; i < n; i++) {
        c->x[i] = left + scale * (c->x[i] - min_x);
        c->y[i] = top + scale * (c->y[i] - min_y);
        c->z[i] = z_centre + z_amp * sin(kz * (i * ds) + phiz);
    }
}

mumloc_status sim_build_curves(mumloc_simulator *sim) {
    const mumloc_sim_params *p = &sim->params;
    sim->curve_count = 0;
    sim->curves = NULL;
    sim->curve_end = NULL;
    if (p->sample == MUMLOC_SAMPLE_UNIFORM) return MUMLOC_OK;
    int count = p->sample == MUMLOC_SAMPLE_HELIX ? 1 : p->filaments;
    sim->curves = calloc((size_t)count, sizeof *sim->curves);
    sim->curve_end = calloc((size_t)count, sizeof *sim->curve_end);
    if (!sim->curves || !sim->curve_end) {
        sim_free_curves(sim);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "simulator: out of memory for the sample's curves");
    }
    sim->curve_count = count;
    double total = 0.0;
    for (int f = 0; f < count; f++) {
        sim_curve *c = &sim->curves[f];
        mumloc_status status =
            curve_alloc(c, p->sample == MUMLOC_SAMPLE_HELIX ? HELIX_POINTS : FILAMENT_POINTS);
        if (status != MUMLOC_OK) {
            sim_free_curves(sim);
            return status;
        }
        if (p->sample == MUMLOC_SAMPLE_HELIX)
            build_helix(p, c);
        else
            build_filament(p, f, c);
        curve_measure(c);
        total += c->arc[c->points - 1];
        sim->curve_end[f] = total;
    }
    return MUMLOC_OK;
}

void sim_free_curves(mumloc_simulator *sim) {
    if (sim->curves)
        for (int f = 0; f < sim->curve_count; f++) free(sim->curves[f].x);
    free(sim->curves);
    free(sim->curve_end);
    sim->curves = NULL;
    sim->curve_end = NULL;
    sim->curve_count = 0;
}

/* Index of the first entry of the increasing array a[0..n) greater than v (n if none). */
static int first_above(const double *a, int n, double v) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] > v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void sim_curve_point(const mumloc_simulator *sim, double s, double *x, double *y, double *z) {
    int f = first_above(sim->curve_end, sim->curve_count, s);
    if (f >= sim->curve_count) f = sim->curve_count - 1;
    const sim_curve *c = &sim->curves[f];
    double local = s - (f > 0 ? sim->curve_end[f - 1] : 0.0);
    int i = first_above(c->arc, c->points, local) - 1;
    if (i < 0) i = 0;
    if (i > c->points - 2) i = c->points - 2;
    double span = c->arc[i + 1] - c->arc[i];
    double t = span > 0.0 ? (local - c->arc[i]) / span : 0.0;
    if (t < 0.0) t = 0.0;
    if (t > 1.0) t = 1.0;
    *x = c->x[i] + t * (c->x[i + 1] - c->x[i]);
    *y = c->y[i] + t * (c->y[i + 1] - c->y[i]);
    *z = c->z[i] + t * (c->z[i + 1] - c->z[i]);
}
