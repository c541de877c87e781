/* Simulating a rig's cameras against independent expectations:
 *   - geometry: a noise-free molecule's centroid in camera d is to_camera applied to its true
 *     position (flip + 0.5° + 1 % + shift), within 0.01 px; its width is the plane's own w·sqrt|det|
 *     and its photons the plane's share (per-plane optics);
 *   - layouts: each writes the shape it promises, and splitting it back gives the cameras' images;
 *   - camera models: a molecule-free frame's mean is offset + gain·G·background (closed form);
 *   - frame offsets: camera frame f shows reference frame f + offset;
 *   - bead stacks: shape C = cameras, Z = steps, and each camera in focus at its plane's depth. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/tiff_read.h"
#include "mumloc.h"
#include "simulate/beads.h"

#define PI 3.14159265358979323846

/* s·R(θ)·F + (tx, ty), F = diag(fx, fy) applied first */
static void set_affine(mumloc_rig_camera *c, int flip_x, int flip_y, double theta_deg, double scale,
                       double tx, double ty) {
    double co = scale * cos(theta_deg * PI / 180), si = scale * sin(theta_deg * PI / 180);
    double fx = flip_x ? -1 : 1, fy = flip_y ? -1 : 1;
    double t[6] = {co * fx, -si * fy, tx, si * fx, co * fy, ty};
    memcpy(c->to_camera, t, sizeof t);
    c->flip_x = flip_x;
    c->flip_y = flip_y;
}

/* Four cameras of 48×40: camera 2 mirrored in x, turned 0.5°, scaled 1 %, shifted; camera 3 turned
 * −0.3° and scaled 0.99; camera 4 mirrored in y. Each with its own camera model. */
static void test_rig(mumloc_rig *rig) {
    mumloc_rig_default(rig, 4, 48, 40);
    set_affine(&rig->camera[1], 1, 0, 0.5, 1.01, 47.6, 0.8);
    set_affine(&rig->camera[2], 0, 0, -0.3, 0.99, 0.7, -0.4);
    set_affine(&rig->camera[3], 0, 1, 0.2, 1.005, -0.3, 39.5);
    const double offset[4] = {100, 250, 0, 1000}, gain[4] = {1, 0.5, 2, 0.25}, em[4] = {1, 1, 30, 100};
    for (int d = 0; d < 4; d++) {
        rig->camera[d].offset_adu = offset[d];
        rig->camera[d].adu_per_electron = gain[d];
        rig->camera[d].em_gain = em[d];
        rig->camera[d].read_noise_e = 2 + d;
    }
    /* each plane its own curve and transmission, unlike the papers' */
    rig->optics.per_plane = 1;
    const double w0[4] = {128, 141, 135, 150}, dd[4] = {290, 310, 300, 320}, tr[4] = {1, 0.8, 1.2, 0.9};
    for (int d = 0; d < 4; d++) {
        mumloc_plane_psf psf = {w0[d], dd[d], 0.002 * d, 0.11 + 0.01 * d, tr[d]};
        rig->optics.plane_psf[d] = psf;
    }
    CHECK_OK(mumloc_rig_validate(rig));
}

/* The plane's own curve, written out here (not the library's function). */
static double plane_width(const mumloc_optics *o, int d, double dz) {
    const mumloc_plane_psf *c = &o->plane_psf[d];
    double t = dz / c->d_nm;
    return c->w0_nm * sqrt(1 + t * t + c->A * t * t * t + c->B * t * t * t * t);
}

static mumloc_sim_params rig_params(const mumloc_rig *rig, int frames) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    mumloc_rig_sim_params(rig, &p);
    p.frames = frames;
    p.drift_max_nm = 0;
    p.seed = 11;
    return p;
}

static void test_geometry(void) {
    mumloc_rig rig;
    test_rig(&rig);
    mumloc_sim_params p = rig_params(&rig, 40);
    p.noise = MUMLOC_NOISE_NONE;
    p.camera.background_photons = 0;
    p.molecules = 1;
    p.weight_min = p.weight_max = 1;
    p.z_min_nm = 150; /* near plane 1's focus: narrow in every plane */
    p.z_max_nm = 1450;
    for (int d = 0; d < 4; d++) rig.camera[d].offset_adu = 0;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    if (!sim) return;
    const int W = rig.width, H = rig.height;
    float *frames = malloc(sizeof(float) * 4 * W * H);
    int tested = 0;
    for (int64_t f = 0; f < p.frames; f++) {
        mumloc_emitter e;
        int n = 0;
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &n));
        CHECK_OK(mumloc_simulate_rig_frames(sim, &rig, f, 1, frames));
        for (int d = 0; d < 4; d++) {
            const double *t = rig.camera[d].to_camera;
            double u = t[0] * e.x_nm / p.optics.pixel_nm + t[1] * e.y_nm / p.optics.pixel_nm + t[2];
            double v = t[3] * e.x_nm / p.optics.pixel_nm + t[4] * e.y_nm / p.optics.pixel_nm + t[5];
            double w = plane_width(&p.optics, d, p.optics.plane_depth_nm[d] - e.z_nm);
            double scale = sqrt(fabs(t[0] * t[4] - t[1] * t[3]));
            double sigma_px = w * scale / p.optics.pixel_nm;
            double reach = 6 * sigma_px + 1;
            if (u < reach || v < reach || u > W - reach || v > H - reach) continue; /* clipped */
            const float *img = frames + (size_t)d * W * H;
            double sum = 0, sx = 0, sy = 0, sxx = 0;
            for (int j = 0; j < H; j++)
                for (int i = 0; i < W; i++) {
                    double a = img[j * W + i] / rig.camera[d].adu_per_electron / rig.camera[d].em_gain;
                    sum += a;
                    sx += a * (i + 0.5);
                    sy += a * (j + 0.5);
                    sxx += a * (i + 0.5) * (i + 0.5);
                }
            CHECK_NEAR(sx / sum, u, 0.01);
            CHECK_NEAR(sy / sum, v, 0.01);
            /* pixel integration adds 1/12 px² (Sheppard); the rest is (w·s)² */
            double var = sxx / sum - (sx / sum) * (sx / sum) - 1.0 / 12.0;
            CHECK_NEAR(sqrt(var), sigma_px, 0.01 * sigma_px);
            /* the plane keeps its share of the molecule's photons: k·c·a'/p² · t_d / Σt */
            double share = p.optics.plane_psf[d].transmission / (1 + 0.8 + 1.2 + 0.9);
            CHECK_NEAR(sum, e.photons * share, 1e-3 * sum);
            CHECK_NEAR(e.photons, 4 * p.optics.psf_amplitude / (p.optics.pixel_nm * p.optics.pixel_nm),
                       1e-6 * e.photons);
            tested++;
        }
    }
    CHECK(tested >= 40); /* most molecules lie well inside every camera */
    free(frames);
    mumloc_simulator_destroy(sim);
}

/* The frame written by mumloc_simulate_rig_to_files for each layout, read back and split, equals
 * the in-memory cameras' images. */
static void test_layouts(void) {
    mumloc_rig rig;
    test_rig(&rig);
    mumloc_sim_params p = rig_params(&rig, 3);
    p.molecules = 5;
    const int W = rig.width, H = rig.height, T = 3, K = 4;
    const size_t area = (size_t)W * H;
    float *expected = malloc(sizeof(float) * T * K * area), *got = malloc(sizeof(float) * T * K * area);
    float *chip = malloc(sizeof(float) * K * area);
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    CHECK_OK(mumloc_simulate_rig_frames(sim, &rig, 0, T, expected));
    mumloc_simulator_destroy(sim);
    const int chip_w[5] = {W, W, 2 * W, 4 * W, W}, chip_h[5] = {H, H, 2 * H, H, 4 * H};
    for (int layout = 0; layout < 5; layout++) {
        rig.layout = (mumloc_rig_layout)layout;
        const char *out = path_of("movie.tif");
        CHECK_OK(mumloc_simulate_rig_to_files(&p, &rig, 32, out, NULL, NULL, NULL, NULL));
        memset(got, 0, sizeof(float) * T * K * area);
        if (layout == MUMLOC_RIG_FILES) {
            for (int d = 0; d < K; d++) {
                char name[1024];
                CHECK_OK(mumloc_rig_camera_path(out, d + 1, name, sizeof name));
                tiff_reader *r = NULL;
                CHECK_OK(tiff_reader_open(name, &r));
                if (!r) continue;
                const tiff_info *info = tiff_reader_info(r);
                CHECK(info->width == W && info->height == H && info->images == T);
                CHECK(info->channels == 1 && info->frames == T);
                for (int t = 0; t < T; t++)
                    CHECK_OK(tiff_reader_read(r, t, got + ((size_t)t * K + d) * area));
                tiff_reader_close(r);
                unlink(name);
            }
        } else {
            tiff_reader *r = NULL;
            CHECK_OK(tiff_reader_open(out, &r));
            if (!r) continue;
            const tiff_info *info = tiff_reader_info(r);
            CHECK(info->width == chip_w[layout] && info->height == chip_h[layout]);
            int channels = layout == MUMLOC_RIG_HYPERSTACK ? K : 1;
            CHECK(info->channels == channels && info->frames == T && info->slices == 1);
            CHECK(info->images == (int64_t)channels * T);
            CHECK(info->bits_per_sample == 32);
            for (int t = 0; t < T; t++) {
                if (layout == MUMLOC_RIG_HYPERSTACK) {
                    for (int d = 0; d < K; d++)
                        CHECK_OK(tiff_reader_read(r, t * K + d, got + ((size_t)t * K + d) * area));
                } else {
                    CHECK_OK(tiff_reader_read(r, t, chip));
                    CHECK_OK(mumloc_rig_tiles_split(&rig, chip, got + (size_t)t * K * area));
                }
            }
            tiff_reader_close(r);
            unlink(out);
        }
        if (memcmp(got, expected, sizeof(float) * T * K * area) != 0) {
            fprintf(stderr, "layout %s: the written cameras differ from the simulated ones\n",
                    mumloc_rig_layout_name(rig.layout));
            check_failures++;
        }
    }
    /* camera 2's tile of a 2x2 chip is its top-right quarter */
    rig.layout = MUMLOC_RIG_TILES2X2;
    CHECK_OK(mumloc_rig_tiles_join(&rig, expected, chip));
    CHECK(chip[(size_t)5 * (2 * W) + W + 7] == expected[area + 5 * W + 7]);
    CHECK(chip[(size_t)(H + 3) * (2 * W) + 2] == expected[2 * area + 3 * W + 2]);
    /* 16-bit: camera counts rounded and clipped */
    rig.layout = MUMLOC_RIG_HYPERSTACK;
    CHECK_OK(mumloc_simulate_rig_to_files(&p, &rig, 16, path_of("m16.tif"), NULL, NULL, NULL, NULL));
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of("m16.tif"), &r));
    if (r) {
        CHECK(tiff_reader_info(r)->bits_per_sample == 16);
        CHECK_OK(tiff_reader_read(r, 1, chip));
        for (size_t i = 0; i < area; i++) {
            double v = expected[area + i];
            double want = v <= 0 ? 0 : v >= 65535 ? 65535 : nearbyint(v);
            if (fabs(chip[i] - want) > 0.5) {
                fprintf(stderr, "16-bit pixel %zu: %g, expected %g\n", i, chip[i], want);
                check_failures++;
                break;
            }
        }
        tiff_reader_close(r);
    }
    unlink(path_of("m16.tif"));
    free(expected);
    free(got);
    free(chip);
}

/* Mean of molecule-free frames = offset + gain · G · λ for each camera's own model. */
static void test_camera_models(void) {
    mumloc_rig rig;
    test_rig(&rig);
    mumloc_sim_params p = rig_params(&rig, 8);
    p.molecules = 0;
    p.camera.background_photons = 12;
    const int W = rig.width, H = rig.height, K = 4;
    const size_t area = (size_t)W * H;
    float *frames = malloc(sizeof(float) * p.frames * K * area);
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    CHECK_OK(mumloc_simulate_rig_frames(sim, &rig, 0, p.frames, frames));
    for (int d = 0; d < K; d++) {
        const mumloc_rig_camera *c = &rig.camera[d];
        double sum = 0;
        size_t n = 0;
        for (int64_t f = 0; f < p.frames; f++)
            for (size_t i = 0; i < area; i++, n++) sum += frames[((size_t)f * K + d) * area + i];
        double mean = sum / n;
        double expected = c->offset_adu + c->adu_per_electron * c->em_gain * 12;
        /* per-pixel variance: gain² (G² · λ · (2 with EM gain, 1 without) + σ²) */
        double excess = c->em_gain > 1 ? 2.0 : 1.0;
        double sd = c->adu_per_electron *
                    sqrt(c->em_gain * c->em_gain * 12 * excess + c->read_noise_e * c->read_noise_e);
        CHECK_NEAR(mean, expected, 5 * sd / sqrt((double)n));
    }
    free(frames);
    mumloc_simulator_destroy(sim);
}

/* Camera 3 starting 2 frames late: its frame f equals the reference-offset-free simulation's frame
 * f + 2 (noise aside: compared noise-free). */
static void test_frame_offset(void) {
    mumloc_rig rig;
    test_rig(&rig);
    mumloc_sim_params p = rig_params(&rig, 6);
    p.noise = MUMLOC_NOISE_NONE;
    p.molecules = 4;
    const size_t area = (size_t)rig.width * rig.height;
    float *plain = malloc(sizeof(float) * 6 * 4 * area), *late = malloc(sizeof(float) * 6 * 4 * area);
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    CHECK_OK(mumloc_simulate_rig_frames(sim, &rig, 0, 6, plain));
    rig.camera[2].frame_offset = 2;
    CHECK_OK(mumloc_simulate_rig_frames(sim, &rig, 0, 4, late));
    for (int f = 0; f < 4; f++) {
        CHECK(memcmp(late + ((size_t)f * 4 + 2) * area, plain + ((size_t)(f + 2) * 4 + 2) * area,
                     area * sizeof(float)) == 0);
        CHECK(memcmp(late + ((size_t)f * 4 + 1) * area, plain + ((size_t)f * 4 + 1) * area,
                     area * sizeof(float)) == 0);
    }
    /* a camera that started early shows no molecules before the reference's frame 0 */
    rig.camera[2].frame_offset = -1;
    CHECK_OK(mumloc_simulate_rig_frames(sim, &rig, 0, 1, late));
    const mumloc_rig_camera *c = &rig.camera[2];
    double flat = c->offset_adu + c->adu_per_electron * c->em_gain * p.camera.background_photons;
    int all_flat = 1;
    for (size_t i = 0; i < area; i++) all_flat &= fabs(late[2 * area + i] - flat) < 1e-3;
    CHECK(all_flat);
    free(plain);
    free(late);
    mumloc_simulator_destroy(sim);
}

static void test_beads(void) {
    mumloc_rig rig;
    test_rig(&rig);
    rig.optics.plane_depth_nm[1] = 610;
    rig.optics.plane_depth_nm[2] = 1000;
    rig.optics.plane_depth_nm[3] = 1390;
    mumloc_bead_params b;
    mumloc_bead_params_default(&b);
    b.beads = 6;
    b.z_step_nm = 10;
    b.z_from_nm = 0;
    b.z_to_nm = 1600;
    b.noise = MUMLOC_NOISE_NONE;
    b.spacing_nm = 1500;
    const int steps = mumloc_bead_steps(&b), K = 4;
    CHECK(steps == 161);
    const size_t area = (size_t)rig.width * rig.height;
    CHECK_OK(mumloc_simulate_beads(&rig, &b, path_of("beads.tif"), path_of("beads.csv"),
                                   path_of("scan.csv"), NULL, NULL));
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of("beads.tif"), &r));
    if (!r) return;
    const tiff_info *info = tiff_reader_info(r);
    CHECK(info->channels == K && info->slices == steps && info->frames == 1);
    CHECK(info->bits_per_sample == 16 && info->width == rig.width && info->height == rig.height);
    /* sharpness Σ(I − flat)² per camera and step: largest where the camera is in focus */
    float *img = malloc(sizeof(float) * area);
    for (int d = 0; d < K; d++) {
        const mumloc_rig_camera *c = &rig.camera[d];
        double flat = c->offset_adu + c->adu_per_electron * c->em_gain * b.background_photons;
        double best = -1;
        int best_step = -1;
        for (int s = 0; s < steps; s++) {
            CHECK_OK(tiff_reader_read(r, (int64_t)s * K + d, img));
            double sharp = 0;
            for (size_t i = 0; i < area; i++) sharp += (img[i] - flat) * (img[i] - flat);
            if (sharp > best) {
                best = sharp;
                best_step = s;
            }
        }
        CHECK_NEAR(b.z_from_nm + best_step * b.z_step_nm, rig.optics.plane_depth_nm[d], 0.5);
    }
    free(img);
    tiff_reader_close(r);
    /* beads that cannot be placed: an error naming the options */
    b.beads = 500;
    CHECK_STATUS(mumloc_simulate_beads(&rig, &b, path_of("no.tif"), NULL, NULL, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "--beads") && strstr(mumloc_last_error(), "--bead-spacing"));
    CHECK(access(path_of("no.tif"), F_OK) != 0);
}

int main(void) {
    test_dir_create("test_rig_simulate");
    mumloc_set_threads(2);
    test_geometry();
    test_layouts();
    test_camera_models();
    test_frame_offset();
    test_beads();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_rig_simulate");
}
