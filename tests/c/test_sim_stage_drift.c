/* Simulated stage drift (mumloc_sim_params.stage_drift_nm): 0 at the first frame, within its
 * amplitude (half of it in z), smooth; the camera sees each molecule at truth + drift (centroid of the
 * noiseless image), the truth stays where it was; the parameter survives JSON and old records read
 * as no drift. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

enum { SIDE = 32, FRAMES = 200 };

/* Centroid (nm) of plane 0 of a noiseless, background-free frame. */
static void centroid(const float *plane, double pixel, double *x, double *y) {
    double sum = 0, sx = 0, sy = 0;
    for (int r = 0; r < SIDE; r++)
        for (int c = 0; c < SIDE; c++) {
            double v = plane[r * SIDE + c];
            sum += v;
            sx += v * (c + 0.5) * pixel;
            sy += v * (r + 0.5) * pixel;
        }
    *x = sx / sum;
    *y = sy / sum;
}

int main(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    CHECK(p.stage_drift_nm == 0.0);
    p.width = p.height = SIDE;
    p.frames = FRAMES;
    p.molecules = 1;
    p.noise = MUMLOC_NOISE_NONE;
    p.camera.background_photons = 0.0;
    p.z_min_nm = 150.0;
    p.z_max_nm = 250.0;
    p.stage_drift_nm = 150.0;
    p.seed = 5;

    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    if (!sim) return CHECK_DONE("test_sim_stage_drift");
    double d[3], prev[3] = {0, 0, 0}, largest[3] = {0, 0, 0};
    CHECK_OK(mumloc_simulate_stage_drift(sim, 0, d));
    CHECK(d[0] == 0.0 && d[1] == 0.0 && d[2] == 0.0);
    for (int64_t f = 0; f < FRAMES; f++) {
        CHECK_OK(mumloc_simulate_stage_drift(sim, f, d));
        for (int a = 0; a < 3; a++) {
            largest[a] = fmax(largest[a], fabs(d[a]));
            /* Smooth: a frame moves it by at most amplitude·(π + 2π + 3π)·2/frames (loose). */
            CHECK(fabs(d[a] - prev[a]) <= 150.0 * 40.0 / FRAMES);
            prev[a] = d[a];
        }
    }
    CHECK(largest[0] <= 150.0 + 1e-9 && largest[1] <= 150.0 + 1e-9 && largest[2] <= 75.0 + 1e-9);
    CHECK(largest[0] > 100.0 || largest[1] > 100.0);

    /* The camera sees truth + drift; the truth is the true position. */
    const double pixel = p.optics.pixel_nm;
    size_t frame_floats = (size_t)p.optics.planes * SIDE * SIDE;
    float *pixels = malloc(frame_floats * sizeof *pixels);
    int checked = 0;
    for (int64_t f = 0; f < FRAMES; f++) {
        mumloc_emitter e;
        int n = 0;
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &n));
        /* Molecules well inside the field, so that the whole spot is in the image. */
        if (n != 1 || e.x_nm < 0.3 * SIDE * pixel || e.x_nm > 0.7 * SIDE * pixel ||
            e.y_nm < 0.3 * SIDE * pixel || e.y_nm > 0.7 * SIDE * pixel)
            continue;
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, pixels));
        CHECK_OK(mumloc_simulate_stage_drift(sim, f, d));
        double cx, cy;
        centroid(pixels, pixel, &cx, &cy);
        CHECK_NEAR(cx, e.x_nm + d[0], 2.0);
        CHECK_NEAR(cy, e.y_nm + d[1], 2.0);
        checked++;
    }
    CHECK(checked >= 5);
    free(pixels);
    mumloc_simulator_destroy(sim);

    /* JSON: the amplitude survives; a record without it is a movie without stage drift. */
    char json[4096];
    CHECK_OK(mumloc_sim_params_to_json(&p, json, sizeof json, NULL));
    CHECK(strstr(json, "\"stage_drift_nm\":150") != NULL);
    mumloc_sim_params back;
    mumloc_sim_params_default(&back);
    CHECK_OK(mumloc_sim_params_from_json(json, &back));
    CHECK(back.stage_drift_nm == 150.0);
    char *key = strstr(json, ",\"stage_drift_nm\":150");
    if (key) memmove(key, key + strlen(",\"stage_drift_nm\":150"), strlen(key + strlen(",\"stage_drift_nm\":150")) + 1);
    back.stage_drift_nm = 7.0;
    CHECK_OK(mumloc_sim_params_from_json(json, &back));
    CHECK(back.stage_drift_nm == 0.0);

    /* Out of range: names the option. */
    p.stage_drift_nm = -1.0;
    CHECK_STATUS(mumloc_sim_params_validate(&p), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "stage-drift") != NULL);
    return CHECK_DONE("test_sim_stage_drift");
}
