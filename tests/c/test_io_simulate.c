/* mumloc_simulate_to_files: the three files hold exactly what the simulator's own functions return,
 * the result does not depend on the batch size, and cancellation or an unwritable path leaves no
 * file behind (nor any temporary file). */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/csv_read.h"
#include "simulate/simulate_files.h"
#include "io/tiff_read.h"
#include "mumloc.h"

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* Number of entries of the test folder whose name contains ".tmp-". */
static int temp_files(void) {
    DIR *d = opendir(test_dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) n += strstr(e->d_name, ".tmp-") != NULL;
    if (d) closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(*len + 1);
    if (fread(b, 1, *len, f) != *len) *len = 0;
    b[*len] = '\0';
    fclose(f);
    return b;
}

typedef struct progress_log {
    int calls, cancel_at;
    int64_t last_done, last_total;
    int monotonic;
} progress_log;

static int on_progress(void *user, int64_t done, int64_t total) {
    progress_log *log = user;
    if (done <= log->last_done) log->monotonic = 0;
    log->calls++;
    log->last_done = done;
    log->last_total = total;
    return log->cancel_at && log->calls >= log->cancel_at;
}

static mumloc_sim_params small_params(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = 20;
    p.height = 12;
    p.frames = 7;
    p.molecules = 4;
    p.seed = 11;
    return p;
}

static void check_movie(const mumloc_sim_params *p, const char *path) {
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path, &r));
    if (!r) return;
    const tiff_info *in = tiff_reader_info(r);
    int k = p->optics.planes;
    CHECK(in->width == p->width && in->height == p->height && in->images == k * p->frames);
    CHECK(in->channels == k && in->slices == 1 && in->frames == p->frames && in->hyperstack);
    CHECK(in->bits_per_sample == 32 && in->sample_format == 3);
    CHECK_NEAR(in->pixel_um, p->optics.pixel_nm / 1000.0, 1e-12);

    /* the description carries the parameters exactly as mumloc_sim_params_to_json writes them */
    char json[8192], value[8192];
    CHECK_OK(mumloc_sim_params_to_json(p, json, sizeof json, NULL));
    CHECK(tiff_description_value(tiff_reader_description(r), "mumloc", value,
                                        sizeof value));
    CHECK(strcmp(value, json) == 0);

    /* every pixel equals the simulator's own frames */
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    size_t plane = (size_t)p->width * p->height;
    float *expected = malloc(plane * k * p->frames * sizeof(float)), *image = malloc(plane * sizeof(float));
    CHECK_OK(mumloc_simulate_frames(sim, 0, p->frames, expected));
    int mismatches = 0;
    for (int64_t i = 0; i < k * p->frames; i++) {
        CHECK_OK(tiff_reader_read(r, i, image));
        mismatches += memcmp(image, expected + i * plane, plane * sizeof(float)) != 0;
    }
    CHECK(mismatches == 0);
    free(expected);
    free(image);
    mumloc_simulator_destroy(sim);
    tiff_reader_close(r);
}

static void check_truth(const mumloc_sim_params *p, const char *path) {
    size_t len;
    char *text = slurp(path, &len);
    CHECK(text && strncmp(text, "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\","
                                "\"intensity [photon]\",\"weight\"\n", 70) == 0);
    free(text);
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    csv_reader *r = NULL;
    CHECK_OK(csv_reader_open(path, &r));
    if (!r || !sim) return;
    CHECK(csv_reader_columns(r) == 7);
    mumloc_emitter *e = malloc(sizeof *e * (size_t)mumloc_simulator_max_emitters(sim));
    double row[7];
    int has_row = 1, id = 0;
    for (int64_t f = 0; f < p->frames; f++) {
        int count = 0;
        CHECK_OK(mumloc_simulate_truth(sim, f, e, mumloc_simulator_max_emitters(sim), &count));
        for (int m = 0; m < count; m++) {
            CHECK_OK(csv_reader_next(r, row, &has_row));
            if (!has_row) break;
            CHECK(row[0] == ++id && row[1] == f + 1);
            CHECK_NEAR(row[2], e[m].x_nm, 1e-8 * fabs(e[m].x_nm));
            CHECK_NEAR(row[3], e[m].y_nm, 1e-8 * fabs(e[m].y_nm));
            CHECK_NEAR(row[4], e[m].z_nm, 1e-8 * fabs(e[m].z_nm) + 1e-9);
            CHECK_NEAR(row[5], e[m].photons, 1e-8 * e[m].photons);
            CHECK_NEAR(row[6], e[m].weight, 1e-8);
        }
    }
    CHECK(id > 0);
    CHECK_OK(csv_reader_next(r, row, &has_row));
    CHECK(has_row == 0); /* as many rows as the simulator's truth, no more */
    free(e);
    csv_reader_close(r);
    mumloc_simulator_destroy(sim);
}

static void check_drift(const mumloc_sim_params *p, const char *path) {
    size_t len;
    char *text = slurp(path, &len);
    CHECK(text && strncmp(text, "\"frame\",\"plane\",\"dx [nm]\",\"dy [nm]\"\n", 36) == 0);
    free(text);
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    csv_reader *r = NULL;
    CHECK_OK(csv_reader_open(path, &r));
    if (!r || !sim) return;
    double row[4], dx_dy[2 * MUMLOC_MAX_PLANES];
    int has_row = 1;
    for (int64_t f = 0; f < p->frames; f++) {
        CHECK_OK(mumloc_simulate_drift(sim, f, dx_dy));
        for (int d = 0; d < p->optics.planes; d++) {
            CHECK_OK(csv_reader_next(r, row, &has_row));
            CHECK(has_row && row[0] == f + 1 && row[1] == d + 1);
            CHECK_NEAR(row[2], dx_dy[2 * d], 1e-8 * fabs(dx_dy[2 * d]));
            CHECK_NEAR(row[3], dx_dy[2 * d + 1], 1e-8 * fabs(dx_dy[2 * d + 1]));
            if (d == 0) CHECK(row[2] == 0 && row[3] == 0);
        }
    }
    CHECK_OK(csv_reader_next(r, row, &has_row));
    CHECK(has_row == 0);
    csv_reader_close(r);
    mumloc_simulator_destroy(sim);
}

static int same_file(const char *a, const char *b) {
    size_t la = 0, lb = 0;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static void test_outputs(void) {
    mumloc_sim_params p = small_params();
    progress_log log = {0, 0, -1, 0, 1};
    CHECK_OK(mumloc_simulate_to_files(&p, path_of("movie.tif"), path_of("truth.csv"),
                                      path_of("drift.csv"), on_progress, &log));
    CHECK(log.calls >= 1 && log.monotonic && log.last_done == p.frames && log.last_total == p.frames);
    CHECK(temp_files() == 0);
    check_movie(&p, path_of("movie.tif"));
    check_truth(&p, path_of("truth.csv"));
    check_drift(&p, path_of("drift.csv"));

    /* batches of 2 frames: progress after each batch, and the very same bytes */
    progress_log batched = {0, 0, -1, 0, 1};
    CHECK_OK(simulate_to_files_batched(&p, NULL, 32, path_of("movie2.tif"), path_of("truth2.csv"),
                                              path_of("drift2.csv"), on_progress, &batched, 2));
    CHECK(batched.calls == 4 && batched.monotonic && batched.last_done == 7);
    CHECK(same_file(path_of("movie.tif"), path_of("movie2.tif")));
    CHECK(same_file(path_of("truth.csv"), path_of("truth2.csv")));
    CHECK(same_file(path_of("drift.csv"), path_of("drift2.csv")));

    /* the tables are optional */
    CHECK_OK(mumloc_simulate_to_files(&p, path_of("movie-only.tif"), NULL, NULL, NULL, NULL));
    CHECK(same_file(path_of("movie.tif"), path_of("movie-only.tif")));
}

static void test_nothing_left_behind(void) {
    mumloc_sim_params p = small_params();

    /* cancelled on the second batch: no outputs, no temporaries, an older file left intact */
    FILE *old = fopen(path_of("kept.tif"), "wb");
    fputs("previous contents", old);
    fclose(old);
    progress_log log = {0, 2, -1, 0, 1};
    CHECK_STATUS(simulate_to_files_batched(&p, NULL, 32, path_of("kept.tif"), path_of("c-truth.csv"),
                                                  path_of("c-drift.csv"), on_progress, &log, 3),
                 MUMLOC_ERR_CANCELLED);
    CHECK(log.calls == 2);
    CHECK(strstr(mumloc_last_error(), "cancelled") != NULL);
    CHECK(!exists(path_of("c-truth.csv")) && !exists(path_of("c-drift.csv")));
    size_t len;
    char *text = slurp(path_of("kept.tif"), &len);
    CHECK(text && strcmp(text, "previous contents") == 0);
    free(text);
    CHECK(temp_files() == 0);

    /* unwritable movie path: MUMLOC_ERR_IO naming it, and no table written either */
    CHECK_STATUS(mumloc_simulate_to_files(&p, path_of("no-such-folder/m.tif"), path_of("u-truth.csv"),
                                          path_of("u-drift.csv"), NULL, NULL),
                 MUMLOC_ERR_IO);
    CHECK(strstr(mumloc_last_error(), "no-such-folder") != NULL);
    CHECK(!exists(path_of("u-truth.csv")) && !exists(path_of("u-drift.csv")));
    /* unwritable table path: no movie either */
    CHECK_STATUS(mumloc_simulate_to_files(&p, path_of("u-movie.tif"), path_of("u-truth.csv"),
                                          path_of("no-such-folder/d.csv"), NULL, NULL),
                 MUMLOC_ERR_IO);
    CHECK(!exists(path_of("u-movie.tif")) && !exists(path_of("u-truth.csv")));
    CHECK(temp_files() == 0);

    /* invalid parameters and clashing paths */
    mumloc_sim_params bad = p;
    bad.width = 0;
    CHECK_STATUS(mumloc_simulate_to_files(&bad, path_of("b.tif"), NULL, NULL, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(!exists(path_of("b.tif")));
    CHECK_STATUS(mumloc_simulate_to_files(&p, path_of("same.csv"), path_of("same.csv"), NULL, NULL,
                                          NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_simulate_to_files(&p, NULL, NULL, NULL, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(temp_files() == 0);
}

int main(void) {
    test_dir_create("io_simulate");
    test_outputs();
    test_nothing_left_behind();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_simulate");
}
