/* Plane drifts → table rows (mumloc_plane_drift_to_table): the columns with and without the
 * uncertainties, 1-based frame and plane, appending frame after frame, refusing a table of other
 * columns (left as it was); the simulator's drift file holds what the call gives for the same drift;
 * mumloc_table_copy copies deeply. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "mumloc.h"

static mumloc_frame_drift drift_of(double base) {
    mumloc_frame_drift d;
    memset(&d, 0, sizeof d);
    for (int i = 0; i < 2 * MUMLOC_MAX_PLANES; i++) {
        d.dx_dy[i] = base + i;
        d.sigma_nm[i] = i < 2 ? 0 : 0.5 * i;
    }
    d.molecules = 17;
    return d;
}

static void estimated_drift(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    if (!t) return;
    mumloc_frame_drift a = drift_of(10), b = drift_of(-40);
    CHECK_OK(mumloc_plane_drift_to_table(4, 3, &a, 1, t));
    CHECK_OK(mumloc_plane_drift_to_table(7, 3, &b, 1, t));
    const char *names[] = {"frame", "plane", "dx", "dy", "uncertainty_dx", "uncertainty_dy", "molecules"};
    const char *units[] = {"", "", "nm", "nm", "nm", "nm", ""};
    CHECK(mumloc_table_columns(t) == 7 && mumloc_table_rows(t) == 6);
    for (int c = 0; c < 7 && c < mumloc_table_columns(t); c++) {
        CHECK(strcmp(mumloc_table_column_name(t, c), names[c]) == 0);
        CHECK(strcmp(mumloc_table_column_unit(t, c), units[c]) == 0);
    }
    for (int r = 0; r < 6 && mumloc_table_rows(t) == 6; r++) {
        const mumloc_frame_drift *d = r < 3 ? &a : &b;
        int plane = r % 3;
        const double want[7] = {r < 3 ? 5 : 8, plane + 1, d->dx_dy[2 * plane], d->dx_dy[2 * plane + 1],
                                d->sigma_nm[2 * plane], d->sigma_nm[2 * plane + 1], 17};
        for (int c = 0; c < 7; c++) CHECK(mumloc_table_column_data(t, c)[r] == want[c]);
    }
    /* the copy is equal and its own */
    mumloc_table *copy = NULL;
    CHECK_OK(mumloc_table_copy(t, &copy));
    CHECK_OK(mumloc_plane_drift_to_table(9, 3, &a, 1, t));
    CHECK(copy && mumloc_table_rows(copy) == 6 && mumloc_table_columns(copy) == 7);
    for (int c = 0; copy && c < 7; c++)
        CHECK(memcmp(mumloc_table_column_data(copy, c), mumloc_table_column_data(t, c), 6 * sizeof(double)) == 0);
    mumloc_table_destroy(copy);
    mumloc_table_destroy(t);
}

static void simulated_drift_and_refusals(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    if (!t) return;
    mumloc_frame_drift a = drift_of(3);
    CHECK_OK(mumloc_plane_drift_to_table(0, 2, &a, 0, t));
    CHECK(mumloc_table_columns(t) == 4 && mumloc_table_rows(t) == 2);
    /* a table without the uncertainty columns cannot take them; it stays as it was */
    CHECK_STATUS(mumloc_plane_drift_to_table(1, 2, &a, 1, t), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "uncertainty_dx") != NULL);
    CHECK(mumloc_table_rows(t) == 2 && mumloc_table_columns(t) == 4);
    CHECK_STATUS(mumloc_plane_drift_to_table(-1, 2, &a, 0, t), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_plane_drift_to_table(0, 0, &a, 0, t), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_plane_drift_to_table(0, MUMLOC_MAX_PLANES + 1, &a, 0, t), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_plane_drift_to_table(0, 2, NULL, 0, t), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_table_destroy(t);
}

/* `mumloc simulate`'s drift file = the simulator's drift through mumloc_plane_drift_to_table. */
static void simulator_file(void) {
    char dir[] = "/tmp/mumloc_plane_drift_XXXXXX";
    if (!mkdtemp(dir)) return;
    char movie[128], drift[128];
    snprintf(movie, sizeof movie, "%s/m.tif", dir);
    snprintf(drift, sizeof drift, "%s/d.csv", dir);
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = p.height = 16;
    p.frames = 3;
    p.molecules = 1;
    CHECK_OK(mumloc_simulate_to_files(&p, movie, NULL, drift, NULL, NULL));
    mumloc_table *file = NULL, *made = NULL;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_table_read_csv(drift, NULL, &file));
    CHECK_OK(mumloc_table_create(&made));
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    for (int64_t f = 0; sim && made && f < p.frames; f++) {
        mumloc_frame_drift d;
        memset(&d, 0, sizeof d);
        CHECK_OK(mumloc_simulate_drift(sim, f, d.dx_dy));
        CHECK_OK(mumloc_plane_drift_to_table(f, p.optics.planes, &d, 0, made));
    }
    CHECK(file && made && mumloc_table_columns(file) == mumloc_table_columns(made));
    CHECK(file && made && mumloc_table_rows(file) == mumloc_table_rows(made));
    for (int c = 0; file && made && c < mumloc_table_columns(file) && c < mumloc_table_columns(made); c++) {
        CHECK(strcmp(mumloc_table_column_name(file, c), mumloc_table_column_name(made, c)) == 0);
        CHECK(strcmp(mumloc_table_column_unit(file, c), mumloc_table_column_unit(made, c)) == 0);
        for (int64_t r = 0; r < mumloc_table_rows(file) && r < mumloc_table_rows(made); r++)
            CHECK_NEAR(mumloc_table_column_data(file, c)[r], mumloc_table_column_data(made, c)[r], 1e-6);
    }
    mumloc_simulator_destroy(sim);
    mumloc_table_destroy(file);
    mumloc_table_destroy(made);
    unlink(movie);
    unlink(drift);
    rmdir(dir);
}

int main(void) {
    estimated_drift();
    simulated_drift_and_refusals();
    simulator_file();
    return CHECK_DONE("test_table_plane_drift");
}
