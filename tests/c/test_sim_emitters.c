/* Ground truth and drift: uniform emitters fill the field and the z range with the right moments,
 * density mode has a Poisson count with the right mean and a documented cap, helix and filament
 * emitters lie on smooth curves inside the field, and drifts take the documented values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "simulate/simulator.h"

static mumloc_simulator *make(const mumloc_sim_params *p) {
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    return sim;
}

/* Squared distance from (x, y, z) to the nearest tabulated point of any curve. */
static double curve_distance2(const mumloc_simulator *sim, double x, double y, double z) {
    double best = INFINITY;
    for (int f = 0; f < sim->curve_count; f++) {
        const sim_curve *c = &sim->curves[f];
        for (int i = 0; i < c->points; i++) {
            double dx = c->x[i] - x, dy = c->y[i] - y, dz = c->z[i] - z;
            best = fmin(best, dx * dx + dy * dy + dz * dz);
        }
    }
    return best;
}

static void check_inside(const mumloc_sim_params *p, const mumloc_emitter *e, int n, int64_t frame,
                         double margin) {
    double w_nm = p->width * p->optics.pixel_nm, h_nm = p->height * p->optics.pixel_nm;
    double per_plane = p->optics.psf_amplitude / (p->optics.pixel_nm * p->optics.pixel_nm);
    for (int i = 0; i < n; i++) {
        CHECK(e[i].frame == frame);
        CHECK(e[i].x_nm >= margin * w_nm && e[i].x_nm < (1 - margin) * w_nm + 1e-9);
        CHECK(e[i].y_nm >= margin * h_nm && e[i].y_nm < (1 - margin) * h_nm + 1e-9);
        CHECK(e[i].z_nm >= p->z_min_nm && e[i].z_nm <= p->z_max_nm);
        CHECK(e[i].weight >= p->weight_min && e[i].weight <= p->weight_max);
        CHECK_NEAR(e[i].photons, p->optics.planes * e[i].weight * per_plane, 1e-9 * e[i].photons);
    }
}

int main(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = 80;
    p.height = 50;
    p.molecules = 40;
    p.seed = 5;
    p.z_min_nm = -100.0;
    p.z_max_nm = 1500.0;
    p.weight_min = 0.2;
    p.weight_max = 0.9;

    /* Uniform: count, bounds, and the moments of uniform laws. */
    {
        mumloc_simulator *sim = make(&p);
        CHECK(mumloc_simulator_max_emitters(sim) == 40);
        CHECK(mumloc_simulator_params(sim)->width == 80);
        mumloc_emitter e[40];
        double sx = 0, sxx = 0, sz = 0, sw = 0;
        int total = 0;
        for (int64_t f = 0; f < 500; f++) {
            int n = -1;
            CHECK_OK(mumloc_simulate_truth(sim, f, e, 40, &n));
            CHECK(n == 40);
            check_inside(&p, e, n, f, 0.0);
            for (int i = 0; i < n; i++) {
                sx += e[i].x_nm;
                sxx += e[i].x_nm * e[i].x_nm;
                sz += e[i].z_nm;
                sw += e[i].weight;
            }
            total += n;
        }
        double w_nm = 80 * 192.0, mx = sx / total;
        CHECK_NEAR(mx, w_nm / 2, 6 * w_nm / sqrt(12.0 * total));
        CHECK_NEAR(sxx / total - mx * mx, w_nm * w_nm / 12, 0.03 * w_nm * w_nm / 12);
        CHECK_NEAR(sz / total, 700.0, 6 * 1600 / sqrt(12.0 * total));
        CHECK_NEAR(sw / total, 0.55, 6 * 0.7 / sqrt(12.0 * total));
        /* The same call twice gives the same emitters; a small buffer is refused. */
        mumloc_emitter again[40];
        int n = 0;
        CHECK_OK(mumloc_simulate_truth(sim, 7, e, 40, &n));
        CHECK_OK(mumloc_simulate_truth(sim, 7, again, 40, &n));
        CHECK(memcmp(e, again, sizeof e) == 0);
        CHECK_STATUS(mumloc_simulate_truth(sim, 7, e, 39, &n), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strstr(mumloc_last_error(), "max_emitters") != NULL);
        CHECK_STATUS(mumloc_simulate_truth(sim, -1, e, 40, &n), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(mumloc_simulate_frames(sim, -2, 1, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK_OK(mumloc_simulate_frames(sim, 0, 0, NULL));
        mumloc_simulator_destroy(sim);
    }

    /* Density: Poisson count with mean density·area, variance equal to the mean, under the cap. */
    {
        mumloc_sim_params q = p;
        q.density_per_um2 = 0.3;
        double area = 80 * 0.192 * 50 * 0.192, mean = 0.3 * area;
        mumloc_simulator *sim = make(&q);
        int cap = mumloc_simulator_max_emitters(sim);
        CHECK(cap == (int)ceil(mean + 10 * sqrt(mean) + 10));
        mumloc_emitter *e = malloc((size_t)cap * sizeof *e);
        double s = 0, s2 = 0;
        const int frames = 2000;
        for (int64_t f = 0; f < frames; f++) {
            int n = 0;
            CHECK_OK(mumloc_simulate_truth(sim, f, e, cap, &n));
            CHECK(n >= 0 && n <= cap);
            if (f < 20) check_inside(&q, e, n, f, 0.0);
            s += n;
            s2 += (double)n * n;
        }
        double m = s / frames, v = s2 / frames - m * m;
        CHECK_NEAR(m, mean, 6 * sqrt(mean / frames));
        CHECK_NEAR(v, mean, 6 * mean * sqrt(2.0 / frames));
        free(e);
        mumloc_simulator_destroy(sim);
    }

    /* Drift: plane 1 none; planes 2..k multiples of 24 nm in [−48, 48], each value about equally
     * often; continuous mode fills [−max, max]; no drift when the maximum is 0. */
    {
        mumloc_simulator *sim = make(&p);
        int counts[5] = {0};
        double dx_dy[2 * MUMLOC_MAX_PLANES];
        const int frames = 1000;
        for (int64_t f = 0; f < frames; f++) {
            CHECK_OK(mumloc_simulate_drift(sim, f, dx_dy));
            CHECK(dx_dy[0] == 0.0 && dx_dy[1] == 0.0);
            for (int i = 2; i < 8; i++) {
                double s = dx_dy[i] / 24.0;
                CHECK(s == floor(s) && fabs(s) <= 2);
                if (fabs(s) <= 2) counts[(int)s + 2]++;
            }
        }
        for (int i = 0; i < 5; i++) CHECK_NEAR(counts[i], frames * 6 / 5.0, 6 * sqrt(frames * 6 / 5.0));
        CHECK_STATUS(mumloc_simulate_drift(sim, 0, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
        mumloc_simulator_destroy(sim);

        mumloc_sim_params q = p;
        q.drift_step_nm = 0.0;
        q.drift_max_nm = 30.0;
        sim = make(&q);
        double lo = 0, hi = 0;
        for (int64_t f = 0; f < frames; f++) {
            mumloc_simulate_drift(sim, f, dx_dy);
            for (int i = 2; i < 8; i++) {
                CHECK(fabs(dx_dy[i]) <= 30.0);
                lo = fmin(lo, dx_dy[i]);
                hi = fmax(hi, dx_dy[i]);
            }
        }
        CHECK(lo < -29.0 && hi > 29.0);
        mumloc_simulator_destroy(sim);

        q = p;
        q.drift_max_nm = 0.0;
        sim = make(&q);
        mumloc_simulate_drift(sim, 3, dx_dy);
        for (int i = 0; i < 8; i++) CHECK(dx_dy[i] == 0.0);
        mumloc_simulator_destroy(sim);
    }

    /* Helix: emitters on an ellipse in (y, z) around the axis, inside the field's central 90 %. */
    {
        mumloc_sim_params q = p;
        q.sample = MUMLOC_SAMPLE_HELIX;
        mumloc_simulator *sim = make(&q);
        CHECK(sim->curve_count == 1);
        mumloc_emitter e[40];
        double h_nm = 50 * 192.0, ry = 0.25 * h_nm, rz = 0.45 * 1600.0, zc = 700.0;
        for (int64_t f = 0; f < 50; f++) {
            int n = 0;
            CHECK_OK(mumloc_simulate_truth(sim, f, e, 40, &n));
            CHECK(n == 40);
            check_inside(&q, e, n, f, 0.05 - 1e-9);
            for (int i = 0; i < n; i++) {
                double a = (e[i].y_nm - h_nm / 2) / ry, b = (e[i].z_nm - zc) / rz;
                CHECK_NEAR(a * a + b * b, 1.0, 1e-3);
            }
        }
        mumloc_simulator_destroy(sim);
    }

    /* Filaments: the requested number of smooth curves inside the field and z range, the same for
     * the same seed, and every emitter on one of them. */
    {
        mumloc_sim_params q = p;
        q.sample = MUMLOC_SAMPLE_FILAMENTS;
        q.filaments = 4;
        mumloc_simulator *sim = make(&q);
        mumloc_simulator *twin = make(&q);
        CHECK(sim->curve_count == 4);
        for (int f = 0; f < sim->curve_count; f++) {
            const sim_curve *c = &sim->curves[f];
            CHECK(memcmp(c->x, twin->curves[f].x, (size_t)c->points * sizeof(double)) == 0);
            double step = c->arc[c->points - 1] / (c->points - 1), worst_turn = 0.0;
            for (int i = 0; i < c->points; i++) {
                CHECK(c->x[i] >= 0.05 * 80 * 192 - 1e-6 && c->x[i] <= 0.95 * 80 * 192 + 1e-6);
                CHECK(c->y[i] >= 0.05 * 50 * 192 - 1e-6 && c->y[i] <= 0.95 * 50 * 192 + 1e-6);
                CHECK(c->z[i] >= q.z_min_nm && c->z[i] <= q.z_max_nm);
                if (i >= 2) {
                    double ax = c->x[i - 1] - c->x[i - 2], ay = c->y[i - 1] - c->y[i - 2];
                    double bx = c->x[i] - c->x[i - 1], by = c->y[i] - c->y[i - 1];
                    double cosine = (ax * bx + ay * by) / (hypot(ax, ay) * hypot(bx, by));
                    worst_turn = fmax(worst_turn, acos(fmin(1.0, cosine)));
                }
            }
            /* Smooth: the heading turns by well under a degree between neighbouring points. */
            CHECK(worst_turn < 0.02);
            CHECK(step > 0.0);
        }
        /* An emitter lies on a chord between tabulated points: within half the longest chord. */
        double chord = 0.0;
        for (int f = 0; f < sim->curve_count; f++)
            for (int i = 1; i < sim->curves[f].points; i++)
                chord = fmax(chord, sim->curves[f].arc[i] - sim->curves[f].arc[i - 1]);
        mumloc_emitter e[40];
        for (int64_t f = 0; f < 10; f++) {
            int n = 0;
            CHECK_OK(mumloc_simulate_truth(sim, f, e, 40, &n));
            check_inside(&q, e, n, f, 0.05 - 1e-9);
            for (int i = 0; i < n; i++)
                CHECK(curve_distance2(sim, e[i].x_nm, e[i].y_nm, e[i].z_nm) <=
                      0.25 * chord * chord * (1 + 1e-9));
        }
        mumloc_sim_params other = q;
        other.seed = 6;
        mumloc_simulator *third = make(&other);
        CHECK(memcmp(third->curves[0].x, sim->curves[0].x, sizeof(double) * 16) != 0);
        mumloc_simulator_destroy(third);
        mumloc_simulator_destroy(twin);
        mumloc_simulator_destroy(sim);
    }
    return CHECK_DONE("test_sim_emitters");
}
