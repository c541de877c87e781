/* pupil_sim: test data from a pupil-function PSF (tools/pupil/pupil_psf.h), not mumloc's Gaussian
 * model — bead z-stacks for calibration and multi-plane movies with ground truth, with camera noise.
 * A developer tool (DEVELOPERS.md, "Test data from another PSF"); `pupil_sim --help` lists the options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/csv_write.h"
#include "io/tiff_write.h"
#include "mumloc.h"
#include "pupil/pupil_psf.h"
#include "simulate/camera_noise.h"
#include "simulate/rng.h"

static const char *const HELP =
    "usage: pupil_sim beads --out STACK.tif [--truth BEADS.csv] [options]\n"
    "       pupil_sim movie --out MOVIE.tif [--truth TRUTH.csv] [options]\n"
    "\n"
    "Images from a scalar pupil-function PSF with Zernike aberrations (not mumloc's Gaussian model),\n"
    "pixel-integrated, normalised to photons, with camera noise; 32-bit float ImageJ hyperstacks.\n"
    "  beads   a bead z-stack: channels = planes, slices = stage steps; every bead at the same depth,\n"
    "          which steps through --z-range by --z-step (depth in mumloc's frame, plane 1 at 200 nm)\n"
    "  movie   channels = planes, frames = --frames; molecules uniform in the field and --z-range,\n"
    "          weight c uniform in --weight, photons = k·c·a'/p² as `mumloc simulate`\n"
    "The truth CSV has `mumloc simulate`'s columns (id, frame, x [nm], y [nm], z [nm],\n"
    "intensity [photon], weight), read by `mumloc evaluate`; for beads, frame = stage step.\n"
    "\n"
    "Optics:\n"
    "  --planes K                  planes (default 4)\n"
    "  --plane-depths D1,D2,...    depth each plane images, nm (default 200, 600, 1000, ...)\n"
    "  --pixel NM                  camera pixel in the sample (192)\n"
    "  --na NA  --n N  --wavelength NM   objective, matched immersion/sample index, emission\n"
    "                              (1.4, 1.518, 600)\n"
    "  --astig NM  --astig45 NM  --coma-x NM  --coma-y NM  --spherical NM\n"
    "                              Zernike RMS wavefront error (Noll Z6, Z5, Z8, Z7, Z11); one value\n"
    "                              for every plane or K comma-separated values, one per plane (0)\n"
    "  --transmission T1,T2,...    relative share of photons per plane (equal)\n"
    "  --pupil-samples N           pupil grid across the diameter (64)\n"
    "  --oversample S              S×S points per pixel for the pixel integral (8)\n"
    "  --window R                  PSF drawn over ±R pixels around the molecule (8)\n"
    "Sample:\n"
    "  --width W --height H        pixels per plane (64×64)\n"
    "  --seed N                    random seed (1)\n"
    "  movie: --frames N (100) --molecules M (10) --z-range A:B (0:1600) --weight A:B (0.3:1.0)\n"
    "         --amplitude A' (5e7, photon·nm², as mumloc's optics)\n"
    "  beads: --beads N (20, on a jittered grid) --z-step NM (20) --z-range A:B (-400:2000)\n"
    "         --bead-photons N (20000, total over planes)\n"
    "Camera (as `mumloc simulate`): --background PHOTONS (10) --read-noise E (3) --em-gain G (1)\n"
    "  --gain ADU-per-e (1) --offset ADU (0) --noise physical|none (physical)\n";

typedef struct config {
    int beads_mode;
    const char *out, *truth;
    pupil_optics optics;
    int planes;
    double depth[MUMLOC_MAX_PLANES], share[MUMLOC_MAX_PLANES];
    pupil_aberrations ab[MUMLOC_MAX_PLANES];
    int window, width, height, frames, molecules, beads;
    unsigned long long seed;
    double z_min, z_max, w_min, w_max, amplitude, z_step, bead_photons;
    mumloc_camera camera;
    int physical;
} config;

static int fail(const char *what) {
    fprintf(stderr, "pupil_sim: %s (see pupil_sim --help)\n", what);
    return 2;
}

static int parse_number(const char *s, double *v) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return s != end && *end == '\0' && errno == 0 && *v == *v;
}

/* "a,b,c" into at most cap numbers; returns the count, or −1 when one is not a number. */
static int parse_list(const char *s, double *v, int cap) {
    char buf[512];
    if (strlen(s) >= sizeof buf) return -1;
    strcpy(buf, s);
    int n = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (n == cap || !parse_number(tok, &v[n])) return -1;
        n++;
    }
    return n;
}

static int parse_range(const char *s, double *a, double *b) {
    char buf[128];
    const char *colon = strchr(s, ':');
    if (!colon || strlen(s) >= sizeof buf) return 0;
    strcpy(buf, s);
    buf[colon - s] = '\0';
    return parse_number(buf, a) && parse_number(buf + (colon - s) + 1, b) && *a <= *b;
}

typedef struct per_plane_option {
    const char *name, *value;
} per_plane_option;

static int parse_args(int argc, char **argv, config *c) {
    memset(c, 0, sizeof *c);
    pupil_optics_default(&c->optics);
    c->planes = 4;
    c->window = 8;
    c->width = c->height = 64;
    c->frames = 100;
    c->molecules = 10;
    c->beads = 20;
    c->seed = 1;
    c->w_min = 0.3;
    c->w_max = 1.0;
    c->amplitude = 5.00e7;
    c->z_step = 20.0;
    c->bead_photons = 20000.0;
    mumloc_camera_default(&c->camera);
    c->physical = 1;
    if (argc < 2) return fail("say beads or movie");
    if (!strcmp(argv[1], "beads")) c->beads_mode = 1;
    else if (strcmp(argv[1], "movie")) return fail("the first argument must be beads or movie");
    c->z_min = c->beads_mode ? -400.0 : 0.0;
    c->z_max = c->beads_mode ? 2000.0 : 1600.0;
    const char *depths = NULL, *transmission = NULL;
    per_plane_option ab[5] = {{"--astig", NULL}, {"--astig45", NULL}, {"--coma-x", NULL},
                              {"--coma-y", NULL}, {"--spherical", NULL}};
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        double x = 0;
        int known = 1, number = 0;
        if (!v) {
            fprintf(stderr, "pupil_sim: %s needs a value\n", o);
            return 2;
        }
        if (!strcmp(o, "--out")) c->out = v;
        else if (!strcmp(o, "--truth")) c->truth = v;
        else if (!strcmp(o, "--plane-depths")) depths = v;
        else if (!strcmp(o, "--transmission")) transmission = v;
        else if (!strcmp(o, "--z-range")) {
            if (!parse_range(v, &c->z_min, &c->z_max)) return fail("--z-range must be A:B with A ≤ B");
        } else if (!strcmp(o, "--weight")) {
            if (!parse_range(v, &c->w_min, &c->w_max) || c->w_min <= 0)
                return fail("--weight must be A:B with 0 < A ≤ B");
        } else if (!strcmp(o, "--noise")) {
            if (!strcmp(v, "physical")) c->physical = 1;
            else if (!strcmp(v, "none")) c->physical = 0;
            else return fail("--noise must be physical or none");
        } else {
            known = 0;
            for (int a = 0; a < 5; a++)
                if (!strcmp(o, ab[a].name)) ab[a].value = v, known = 1;
            if (!known) number = 1;
        }
        if (number) {
            if (!parse_number(v, &x)) {
                fprintf(stderr, "pupil_sim: %s needs a number, not '%s'\n", o, v);
                return 2;
            }
            known = 1;
            if (!strcmp(o, "--planes")) c->planes = (int)x;
            else if (!strcmp(o, "--pixel")) c->optics.pixel_nm = x;
            else if (!strcmp(o, "--na")) c->optics.na = x;
            else if (!strcmp(o, "--n")) c->optics.n = x;
            else if (!strcmp(o, "--wavelength")) c->optics.wavelength_nm = x;
            else if (!strcmp(o, "--pupil-samples")) c->optics.pupil_samples = (int)x;
            else if (!strcmp(o, "--oversample")) c->optics.oversample = (int)x;
            else if (!strcmp(o, "--window")) c->window = (int)x;
            else if (!strcmp(o, "--width")) c->width = (int)x;
            else if (!strcmp(o, "--height")) c->height = (int)x;
            else if (!strcmp(o, "--seed")) c->seed = (unsigned long long)x;
            else if (!strcmp(o, "--frames")) c->frames = (int)x;
            else if (!strcmp(o, "--molecules")) c->molecules = (int)x;
            else if (!strcmp(o, "--amplitude")) c->amplitude = x;
            else if (!strcmp(o, "--beads")) c->beads = (int)x;
            else if (!strcmp(o, "--z-step")) c->z_step = x;
            else if (!strcmp(o, "--bead-photons")) c->bead_photons = x;
            else if (!strcmp(o, "--background")) c->camera.background_photons = x;
            else if (!strcmp(o, "--read-noise")) c->camera.read_noise_e = x;
            else if (!strcmp(o, "--em-gain")) c->camera.em_gain = x;
            else if (!strcmp(o, "--gain")) c->camera.adu_per_electron = x;
            else if (!strcmp(o, "--offset")) c->camera.offset_adu = x;
            else known = 0;
        }
        if (!known) {
            fprintf(stderr, "pupil_sim: unknown option %s (see pupil_sim --help)\n", o);
            return 2;
        }
        i++;
    }
    if (!c->out) return fail("--out is required");
    if (c->planes < 1 || c->planes > MUMLOC_MAX_PLANES) return fail("--planes must be in 1..8");
    const char *bad = pupil_optics_check(&c->optics);
    if (bad) return fail(bad);
    if (c->width < 4 || c->height < 4 || c->width > 4096 || c->height > 4096)
        return fail("--width and --height must be in 4..4096");
    if (c->window < 2 || c->window > 64) return fail("--window must be in 2..64");
    if (c->frames < 1 || c->molecules < 0 || c->beads < 1)
        return fail("--frames and --beads must be ≥ 1, --molecules ≥ 0");
    if (!(c->amplitude > 0) || !(c->bead_photons > 0)) return fail("--amplitude and --bead-photons must be > 0");
    if (c->beads_mode && !(c->z_step > 0)) return fail("--z-step must be > 0");
    if (mumloc_camera_validate(&c->camera) != MUMLOC_OK) return fail(mumloc_last_error());
    for (int d = 0; d < c->planes; d++) c->depth[d] = 200.0 + 400.0 * d, c->share[d] = 1.0;
    if (depths && parse_list(depths, c->depth, MUMLOC_MAX_PLANES) != c->planes)
        return fail("--plane-depths needs one number per plane");
    if (transmission && parse_list(transmission, c->share, MUMLOC_MAX_PLANES) != c->planes)
        return fail("--transmission needs one number per plane");
    double total = 0;
    for (int d = 0; d < c->planes; d++) {
        if (!(c->share[d] > 0)) return fail("--transmission values must be > 0");
        total += c->share[d];
    }
    for (int d = 0; d < c->planes; d++) c->share[d] /= total;
    for (int a = 0; a < 5; a++) {
        double v[MUMLOC_MAX_PLANES] = {0};
        int n = ab[a].value ? parse_list(ab[a].value, v, MUMLOC_MAX_PLANES) : 1;
        if (n != 1 && n != c->planes) {
            fprintf(stderr, "pupil_sim: %s needs one number or one per plane (%d)\n", ab[a].name,
                    c->planes);
            return 2;
        }
        for (int d = 0; d < c->planes; d++) {
            double value = v[n == 1 ? 0 : d];
            pupil_aberrations *t = &c->ab[d];
            double *field[5] = {&t->astig_nm, &t->astig45_nm, &t->coma_x_nm, &t->coma_y_nm,
                                &t->spherical_nm};
            *field[a] = value;
        }
    }
    return 0;
}

typedef struct source {
    double x, y, z, photons, weight;
} source;

/* Adds one source's photons to the k planes of one frame (k × H × W). */
static int render(const config *c, const source *s, float *frame) {
    const int R = c->window, n = 2 * R + 1;
    double *px = malloc((size_t)n * n * sizeof *px);
    if (!px) return 0;
    int ok = 1;
    for (int d = 0; d < c->planes && ok; d++) {
        int ic = (int)(s->x / c->optics.pixel_nm), jc = (int)(s->y / c->optics.pixel_nm);
        ok = pupil_pixels(&c->optics, &c->ab[d], s->x, s->y, s->z - c->depth[d], ic - R, jc - R, n, n, px);
        for (int b = 0; b < n && ok; b++)
            for (int a = 0; a < n; a++) {
                int i = ic - R + a, j = jc - R + b;
                if (i < 0 || j < 0 || i >= c->width || j >= c->height) continue;
                frame[((size_t)d * c->height + j) * c->width + i] +=
                    (float)(s->photons * c->share[d] * px[b * n + a]);
            }
    }
    free(px);
    return ok;
}

/* Camera noise on a frame of expected photons, each pixel its own counter stream. */
static void add_noise(const config *c, int64_t frame, float *pixels) {
    camera_noise_model cam = {c->camera.background_photons, c->camera.read_noise_e,
                               c->camera.em_gain, c->camera.adu_per_electron, c->camera.offset_adu,
                               c->physical, NULL, 0, NULL};
    for (int d = 0; d < c->planes; d++)
        for (int p = 0; p < c->width * c->height; p++) {
            philox_rng r = rng_stream(c->seed, frame, RNG_NOISE, d, (uint32_t)p);
            float *v = &pixels[(size_t)d * c->width * c->height + p];
            *v = (float)camera_pixel(&cam, *v, &r);
        }
}

/* The sources of one image: beads (the same lateral positions in every step) or molecules. */
static int sources_of(const config *c, int64_t image, source *out) {
    const double p = c->optics.pixel_nm, W = c->width * p, H = c->height * p;
    if (c->beads_mode) {
        /* a grid spaced by the window, jittered by ±1/4 spacing, filled in reading order */
        double spacing = (2.0 * c->window + 2.0) * p;
        int cols = (int)(W / spacing), rows = (int)(H / spacing), n = 0;
        for (int b = 0; b < rows && n < c->beads; b++)
            for (int a = 0; a < cols && n < c->beads; a++, n++) {
                philox_rng r = rng_stream(c->seed, 0, RNG_EMITTER, 0, (uint32_t)n);
                out[n].x = (a + 0.5 + 0.5 * (rng_uniform(&r) - 0.5)) * spacing;
                out[n].y = (b + 0.5 + 0.5 * (rng_uniform(&r) - 0.5)) * spacing;
                out[n].z = c->z_min + image * c->z_step;
                out[n].photons = c->bead_photons;
                out[n].weight = 1.0;
            }
        return n;
    }
    for (int m = 0; m < c->molecules; m++) {
        philox_rng r = rng_stream(c->seed, image, RNG_EMITTER, 0, (uint32_t)m);
        out[m].x = rng_uniform(&r) * W;
        out[m].y = rng_uniform(&r) * H;
        out[m].z = c->z_min + rng_uniform(&r) * (c->z_max - c->z_min);
        out[m].weight = c->w_min + rng_uniform(&r) * (c->w_max - c->w_min);
        out[m].photons = c->planes * out[m].weight * c->amplitude / (p * p);
    }
    return c->molecules;
}

enum { BATCH = 16 };

static const csv_column truth_columns[] = {
    {"id", NULL}, {"frame", NULL}, {"x", "nm"}, {"y", "nm"}, {"z", "nm"}, {"intensity", "photon"},
    {"weight", NULL}};

static mumloc_status run(const config *c) {
    int images = c->beads_mode ? (int)((c->z_max - c->z_min) / c->z_step) + 1 : c->frames;
    int cap = c->beads_mode ? c->beads : c->molecules;
    if (c->beads_mode) {
        double spacing = (2.0 * c->window + 2.0);
        if ((int)(c->width / spacing) * (int)(c->height / spacing) < c->beads)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%d beads do not fit %d×%d pixels at a spacing of %.0f pixels; use "
                               "fewer --beads, a larger field or a smaller --window",
                               c->beads, c->width, c->height, spacing);
    }
    atomic_file movie = {0}, truth = {0};
    tiff_writer *tiff = NULL;
    size_t frame_px = (size_t)c->planes * c->width * c->height;
    float *pixels = malloc(BATCH * frame_px * sizeof *pixels);
    source *src = malloc(BATCH * ((size_t)cap + 1) * sizeof *src);
    mumloc_status s = pixels && src ? MUMLOC_OK : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory");
    char description[64];
    snprintf(description, sizeof description, "pupil_sim=%s", c->beads_mode ? "beads" : "movie");
    tiff_write_options o = {c->width, c->height, c->planes,
                                   c->beads_mode ? images : 1, c->beads_mode ? 1 : images,
                                   c->optics.pixel_nm / 1000.0, description,
                                   TIFF_LAYOUT_AUTO, TIFF_FORMAT_AUTO, 32};
    if (s == MUMLOC_OK) s = atomic_open(&movie, c->out);
    if (s == MUMLOC_OK && c->truth) s = atomic_open(&truth, c->truth);
    if (s == MUMLOC_OK) s = tiff_writer_open(movie.file, c->out, &o, &tiff);
    csv_writer csv;
    if (s == MUMLOC_OK && c->truth) s = csv_writer_begin(&csv, truth.file, c->truth, truth_columns, 7);
    /* frames of a batch are rendered in parallel (each a pure function of the seed and its index),
     * then written in order */
    int64_t id = 0;
    for (int64_t first = 0; first < images && s == MUMLOC_OK; first += BATCH) {
        int count = images - first < BATCH ? (int)(images - first) : BATCH;
        int rendered = 1;
        memset(pixels, 0, (size_t)count * frame_px * sizeof *pixels);
#pragma omp parallel for schedule(dynamic) reduction(&& : rendered)
        for (int f = 0; f < count; f++) {
            source *mine = src + (size_t)f * (cap + 1);
            int n = sources_of(c, first + f, mine);
            for (int m = 0; m < n; m++) rendered = rendered && render(c, &mine[m], pixels + f * frame_px);
            add_noise(c, first + f, pixels + f * frame_px);
        }
        if (!rendered) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory");
        for (int f = 0; f < count && s == MUMLOC_OK && c->truth; f++) {
            source *mine = src + (size_t)f * (cap + 1);
            int n = sources_of(c, first + f, mine);
            for (int m = 0; m < n && s == MUMLOC_OK; m++) {
                double row[7] = {(double)++id, (double)(first + f + 1), mine[m].x, mine[m].y,
                                 mine[m].z, mine[m].photons, mine[m].weight};
                s = csv_writer_row(&csv, row);
            }
        }
        if (s == MUMLOC_OK) s = tiff_writer_append(tiff, pixels, (int64_t)count * c->planes);
    }
    if (s == MUMLOC_OK) s = tiff_writer_finish(tiff);
    tiff_writer_free(tiff);
    if (s == MUMLOC_OK) s = atomic_commit(&movie);
    if (s == MUMLOC_OK && c->truth) s = atomic_commit(&truth);
    atomic_abort(&movie);
    atomic_abort(&truth);
    free(pixels);
    free(src);
    return s;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(HELP, stdout);
            return 0;
        }
    config c;
    int bad = parse_args(argc, argv, &c);
    if (bad) return bad;
    if (run(&c) != MUMLOC_OK) {
        fprintf(stderr, "pupil_sim: %s\n", mumloc_last_error());
        return 1;
    }
    return 0;
}
