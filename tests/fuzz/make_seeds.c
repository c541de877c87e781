/* Builds the fuzzers' seed corpora into OUT/<fuzzer>/ (the `fuzz_corpus` build step; nothing is
 * committed): files as mumloc's own writers make them today, hand-written forms of other software
 * (ThunderSTORM tables, ImageJ and foreign TIFFs), and the header of the bundled model in test-data/.
 * Usage: fuzz_make_seeds TEST_DATA_DIR OUT_DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/tiff_read.h"
#include "io/tiff_write.h"
#include "model/model_handle.h"
#include "mumloc.h"
#include "tiff_build.h"

static const char *out_dir;

static void die(const char *what) {
    fprintf(stderr, "fuzz_make_seeds: %s: %s\n", what, mumloc_last_error());
    exit(1);
}

/* OUT/fuzzer/name, the folder made; valid until the next call. */
static const char *seed_path(const char *fuzzer, const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, fuzzer);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) die(path);
    snprintf(path, sizeof path, "%s/%s/%s", out_dir, fuzzer, name);
    return path;
}

static void seed_bytes(const char *fuzzer, const char *name, const void *data, size_t len) {
    const char *path = seed_path(fuzzer, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) die(path);
}

static void seed_text(const char *fuzzer, const char *name, const char *text) {
    seed_bytes(fuzzer, name, text, strlen(text));
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *data = malloc(cap);
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap) data = realloc(data, cap *= 2);
    fclose(f);
    if (!data) die("out of memory");
    *len = n;
    return data;
}

/* --- optics files and simulation records -------------------------------------------------- */

static void optics_seeds(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    if (mumloc_optics_save(seed_path("optics", "default.json"), &o) != MUMLOC_OK) die("optics");
    o.planes = 8;
    for (int d = 0; d < 8; d++) o.plane_depth_nm[d] = -700.5 + 200 * d;
    o.pixel_nm = 106.7;
    o.psf_A = 0;
    if (mumloc_optics_save(seed_path("optics", "eight-planes.json"), &o) != MUMLOC_OK) die("optics");
    seed_text("optics", "partial.json", "{\"planes\": 2, \"plane_depth_nm\": [0, 400]}\n");
    seed_text("optics", "depths-only.json", "{\"plane_depth_nm\":[1e2,5.5E2,-0.0],\"psf_B\":0.5}");
    seed_text("optics", "empty-object.json", "{}");
    seed_text("optics", "unknown-field.json", "{\"planes\": 4, \"pixel\": 192}");
    seed_text("optics", "json-kinds.json",
              "[1, -2.5e-3, \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\", null, true,"
              " false, {\"k\": {}, \"a\": [[]]}]");
}

static void sim_params_seeds(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    char json[4096];
    if (mumloc_sim_params_to_json(&p, json, sizeof json, NULL) != MUMLOC_OK) die("record");
    seed_text("sim_params", "default.json", json);
    p.noise = MUMLOC_NOISE_NONE;
    p.sample = MUMLOC_SAMPLE_HELIX;
    p.optics.planes = 2;
    p.molecules_min = 2;
    p.seed = 18446744073709551615ull;
    if (mumloc_sim_params_to_json(&p, json, sizeof json, NULL) != MUMLOC_OK) die("record");
    seed_text("sim_params", "helix-two-planes.json", json);
    mumloc_sim_params_default(&p);
    p.sample = MUMLOC_SAMPLE_FILAMENTS;
    p.density_per_um2 = 0.75;
    p.drift_step_nm = 0;
    if (mumloc_sim_params_to_json(&p, json, sizeof json, NULL) != MUMLOC_OK) die("record");
    seed_text("sim_params", "filaments-density.json", json);
    seed_text("sim_params", "older-record.json",
              "{\"mumloc_version\":\"0.0.1\",\"width\":32,\"height\":16,\"frames\":3,\"seed\":7,"
              "\"camera\":{\"em_gain\":100},\"noise\":\"physical\",\"sample\":\"uniform\"}");
}

/* --- a simulated movie: TIFF, description, truth and drift tables ------------------------- */

static void simulated_seeds(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = 12;
    p.height = 10;
    p.frames = 2;
    p.molecules = 3;
    p.seed = 5;
    char movie[4096], truth[4096], drift[4096];
    snprintf(movie, sizeof movie, "%s", seed_path("tiff", "simulated.tif"));
    snprintf(truth, sizeof truth, "%s", seed_path("csv", "truth.csv"));
    snprintf(drift, sizeof drift, "%s", seed_path("csv", "drift.csv"));
    if (mumloc_simulate_to_files(&p, movie, truth, drift, NULL, NULL) != MUMLOC_OK) die("simulate");
    tiff_reader *r = NULL;
    if (tiff_reader_open(movie, &r) != MUMLOC_OK) die(movie);
    seed_text("description", "simulated.txt", tiff_reader_description(r));
    /* the same movie in the single-IFD layout (ImageJ's form past 4 GiB) */
    const tiff_info *in = tiff_reader_info(r);
    size_t pixels = (size_t)in->width * (size_t)in->height;
    float *data = malloc((size_t)in->images * pixels * sizeof(float));
    for (int64_t i = 0; data && i < in->images; i++)
        if (tiff_reader_read(r, i, data + (size_t)i * pixels) != MUMLOC_OK) die(movie);
    tiff_write_options o = {in->width, in->height, in->channels, in->slices, in->frames,
                                   0.192, "mumloc={\"optics\":{}}", TIFF_LAYOUT_SINGLE_IFD,
                                   TIFF_FORMAT_AUTO, 32};
    const char *single = seed_path("tiff", "single-ifd.tif");
    FILE *f = fopen(single, "wb");
    tiff_writer *w = NULL;
    if (!data || !f || tiff_writer_open(f, single, &o, &w) != MUMLOC_OK ||
        tiff_writer_append(w, data, in->images) != MUMLOC_OK ||
        tiff_writer_finish(w) != MUMLOC_OK || fclose(f) != 0)
        die(single);
    tiff_writer_free(w);
    /* and as BigTIFF (mumloc's form past 4 GiB) */
    const char *big = seed_path("tiff", "bigtiff.tif");
    o.layout = TIFF_LAYOUT_MULTI_IFD;
    o.format = TIFF_FORMAT_BIG;
    f = fopen(big, "wb");
    w = NULL;
    if (!f || tiff_writer_open(f, big, &o, &w) != MUMLOC_OK ||
        tiff_writer_append(w, data, in->images) != MUMLOC_OK ||
        tiff_writer_finish(w) != MUMLOC_OK || fclose(f) != 0)
        die(big);
    tiff_writer_free(w);
    free(data);
    tiff_reader_close(r);
}

/* --- descriptions, tables and TIFFs as other software writes them -------------------------- */

static void description_seeds(void) {
    seed_text("description", "imagej-hyperstack.txt",
              "ImageJ=1.53t\nimages=12\nchannels=3\nslices=1\nframes=4\nhyperstack=true\n"
              "mode=grayscale\nunit=micron\nloop=false\n");
    seed_text("description", "imagej-crlf.txt",
              "ImageJ=1.53t\r\nimages=4\r\nslices=4\r\nunit=\\u00B5m\r\nspacing=0.5\r\n");
    seed_text("description", "record-partial-optics.txt",
              "ImageJ=1.53t\nimages=2\nmumloc={\"optics\":{\"planes\":1,\"plane_depth_nm\":[0]}}\n");
    seed_text("description", "foreign.txt", "Acquired with MicroManager\nExposure-ms=30\n");
    /* issue 15 finding 6: channels · slices · frames overflowed (undefined behaviour) */
    seed_text("description", "overflowing-dimensions.txt",
              "ImageJ=1.53t\nimages=2\nchannels=4294967296\nslices=4294967296\nframes=2\n");
    /* OME-XML placing 4 planes in this file (the harness's movie) and, once found by fuzzing, in a
     * FileName that named the folder (read as a folder, not refused at open) */
    seed_text("description", "ome-series.txt",
              "<?xml version=\"1.0\"?><OME><Image><Pixels DimensionOrder=\"XYCZT\" SizeC=\"1\" "
              "SizeT=\"4\" SizeX=\"1\" SizeY=\"1\" SizeZ=\"1\"><TiffData FirstT=\"1\" IFD=\"1\" "
              "PlaneCount=\"3\"><UUID FileName=\"description.tif\">u</UUID></TiffData><TiffData "
              "PlaneCount=\"1\"/></Pixels></Image></OME>");
    seed_text("description", "ome-folder-as-file.txt",
              "<?xml version=\"1.0\"?><OME><Image><Pixels DimensionOrder=\"XYCZT\" SizeC=\"1\" "
              "SizeT=\"2\" SizeX=\"1\" SizeY=\"1\" SizeZ=\"1\"><TiffData IFD=\"0\" PlaneCount=\"1\">"
              "<UUID FileName=\"a.tif\">u</UUID></TiffData><TiffData FirstT=\"1\" PlaneCount=\"1\">"
              "<UUID FileName=\"parts/\">v</UUID></TiffData></Pixels></Image></OME>");
}

static void csv_seeds(void) {
    seed_text("csv", "thunderstorm.csv",
              "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"sigma [nm]\",\"intensity [photon]\","
              "\"offset [photon]\",\"bkgstd [photon]\",\"uncertainty_xy [nm]\"\n"
              "1.0,1.0,1534.2,2011.75,-120.5,130.1,2543.0,101.2,11.4,8.25\n"
              "2.0,1.0,55.0,67.5,330.0,140.9,811.5,99.0,10.9,17.0\n");
    seed_text("csv", "bom-crlf-unquoted.csv",
              "\xEF\xBB\xBF" "frame,x [px],y [px],z [um]\r\n3,1.5,2.25,0.4\r\n\r\n4,-0.5,7,-1e-3\r\n");
    seed_text("csv", "special-values.csv",
              "\"frame\",\"x\",\"y\",\"z\",\"w\"\n1,NaN,Infinity,-Infinity,\"7.5\"\n2,0,-0,1e300,5e-324\n");
    seed_text("csv", "header-only.csv", "\"a [x]\",\"b\"\n");
    /* issue 15 finding 7: a name with brackets did not survive write and read */
    seed_text("csv", "bracket-name.csv", "\"a [x][]\",b\n1,2\n");
}

static void seed_tiff(const char *name, const tiff_spec *spec) {
    tiff_bytes t = tiff_build(spec);
    seed_bytes("tiff", name, t.data, t.len);
    free(t.data);
}

static void tiff_seeds(void) {
    tiff_spec s = {0};
    s.big_endian = 1;
    s.width = 5;
    s.height = 4;
    s.bits = 16;
    s.sample_format = 1;
    s.images = 3;
    s.rows_per_strip = 2;
    seed_tiff("big-endian-u16-strips.tif", &s);
    s.big_endian = 0;
    s.bits = 8;
    s.sample_format = 2;
    s.images = 2;
    s.rows_per_strip = 0;
    s.description = "not ImageJ";
    seed_tiff("s8-two-ifds.tif", &s);
    s.bits = 32;
    s.sample_format = 2;
    s.images = 1;
    s.resolution = 52083;
    s.description = NULL;
    seed_tiff("s32-resolution.tif", &s);
    s.bits = 64;
    s.sample_format = 3;
    s.resolution = 0;
    seed_tiff("f64.tif", &s);
    /* issue 15 finding 2: an IFD whose "next IFD" is itself (its last 4 bytes; the file ends there) */
    tiff_bytes loop = tiff_build(&s);
    memcpy(loop.data + loop.len - 4, loop.data + 4, 4);
    seed_bytes("tiff", "ifd-points-to-itself.tif", loop.data, loop.len);
    free(loop.data);
    s.bits = 16;
    s.sample_format = 1;
    s.images = 6;
    s.one_ifd = 1;
    s.description = "ImageJ=1.53t\nimages=6\nchannels=2\nframes=3\nhyperstack=true\nunit=micron\n";
    s.resolution = 5;
    seed_tiff("imagej-contiguous-u16.tif", &s);
}

/* --- model headers ------------------------------------------------------------------------- */

/* 'H' + the safetensors header of the model file at path (fuzz_model.c's framed form). */
static void model_header_seed(const char *path, const char *name) {
    size_t len = 0;
    unsigned char *file = slurp(path, &len);
    uint64_t header = 0;
    for (int i = 0; i < 8 && len >= 8; i++) header |= (uint64_t)file[i] << (8 * i);
    if (len < 8 || header > len - 8) die(path);
    file[7] = 'H';
    seed_bytes("model", name, file + 7, (size_t)header + 1);
    free(file);
}

static void model_seeds(const char *test_data) {
    char bundled[4096];
    snprintf(bundled, sizeof bundled, "%s/default-model.safetensors", test_data);
    model_header_seed(bundled, "bundled-header");
    size_t len = 0;
    unsigned char *file = slurp(bundled, &len), raw[2048] = {'R'}; /* raw: its first 2 KiB */
    memcpy(raw + 1, file, len < sizeof raw - 1 ? len : sizeof raw - 1);
    seed_bytes("model", "bundled-truncated", raw, len < sizeof raw - 1 ? len + 1 : sizeof raw);
    free(file);
    seed_bytes("model", "raw-empty-header", "R\x02\0\0\0\0\0\0\0{}", 11);

    mumloc_optics optics;
    mumloc_optics_default(&optics);
    optics.planes = 2;
    optics.plane_depth_nm[1] = 500;
    mumloc_model *m = NULL;
    char scratch[4096];
    snprintf(scratch, sizeof scratch, "%s", seed_path("model", "voxel.safetensors.tmp"));
    if (mumloc_model_create(MUMLOC_ARCH_VOXEL, &optics, NULL, 1.0, 3, &m) != MUMLOC_OK ||
        mumloc_model_save(m, scratch) != MUMLOC_OK)
        die("voxel model");
    model_header_seed(scratch, "voxel-two-planes-header");
    /* with Adam's state, as a training checkpoint saves it */
    if (nn_model_ensure_training_state(m->nn) != MUMLOC_OK) die("training state");
    m->nn->adam_steps = 5;
    if (mumloc_model_save(m, scratch) != MUMLOC_OK) die("checkpoint");
    model_header_seed(scratch, "voxel-checkpoint-header");
    remove(scratch);
    mumloc_model_destroy(m);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: fuzz_make_seeds TEST_DATA_DIR OUT_DIR\n");
        return 2;
    }
    out_dir = argv[2];
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) die(out_dir);
    mumloc_set_threads(1);
    optics_seeds();
    sim_params_seeds();
    simulated_seeds();
    description_seeds();
    csv_seeds();
    tiff_seeds();
    model_seeds(argv[1]);
    return 0;
}
