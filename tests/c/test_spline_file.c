/* Spline PSF files (optics/spline_file.h) and rigs that reference them (rig/rig_psf.h):
 *  - save → load gives the same coefficients, grids and widths; a loaded-then-saved file has the
 *    same bytes; the file's layout is the documented safetensors one (8-byte length, JSON header
 *    padded to 8, float32 little-endian data) and its "sha256" is the SHA-256 of the data section;
 *  - hostile files fail with a message instead of crashing: truncated at every interesting length,
 *    a changed coefficient (hash), a header claiming another plane count, a huge header length;
 *  - a rig with "psf": spline loads, resolves the file beside it and gives a spline model; a changed,
 *    missing or mismatched (plane count) spline file makes the rig load fail naming the file;
 *  - a Gaussian rig's file has no "psf" member (old rig files stay byte-identical). */
#include <string.h>

#include "check.h"
#include "core/sha256.h"
#include "mumloc.h"
#include "optics/spline_file.h"
#include "rig/rig_psf.h"
#include "test_files.h"
#include "test_io_dir.h"

enum { OS = 2, HALF = 4, NZ = 5 };

/* A smooth bump with a plane-dependent shift, so the planes differ. */
static void make_set(int planes, double seed, spline_set *set) {
    memset(set, 0, sizeof *set);
    set->planes = planes;
    const int n = 2 * HALF * OS + 1, c = HALF * OS;
    double *values = malloc(sizeof(double) * n * n * NZ);
    for (int d = 0; d < planes; d++) {
        for (int m = 0; m < NZ; m++)
            for (int v = 0; v < n; v++)
                for (int u = 0; u < n; u++) {
                    double du = (u - c - 0.3 * d) / (3.0 + m), dv = (v - c + 0.2 * m) / (2.5 + d);
                    values[((size_t)m * n + v) * n + u] = exp(-du * du - dv * dv) * (0.02 + seed);
                }
        CHECK_OK(spline_psf_from_nodes(100.0, OS, HALF, NZ, -200.0 + 50 * d, 100.0, values,
                                              &set->plane[d]));
    }
    free(values);
}

static uint64_t header_length(const unsigned char *b) {
    uint64_t n = 0;
    for (int i = 0; i < 8; i++) n |= (uint64_t)b[i] << (8 * i);
    return n;
}

static void write_bytes(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

static void round_trip(void) {
    spline_set a, b, c;
    make_set(3, 0.0, &a);
    const char *p1 = path_of("a.psf.safetensors"), *p2 = path_of("b.psf.safetensors");
    CHECK_OK(spline_set_save(p1, &a));
    CHECK_OK(spline_set_load(p1, &b));
    CHECK(b.planes == 3 && strcmp(a.sha256, b.sha256) == 0);
    for (int d = 0; d < 3; d++) {
        const spline_plane_psf *x = &a.plane[d], *y = &b.plane[d];
        CHECK(x->n == y->n && x->nz == y->nz && x->oversample == y->oversample && x->half == y->half);
        CHECK(x->z0_nm == y->z0_nm && x->z_step_nm == y->z_step_nm && x->pixel_nm == y->pixel_nm);
        CHECK(memcmp(x->coef, y->coef, sizeof(float) * x->n * x->n * x->nz) == 0);
        CHECK(memcmp(x->rms_nm, y->rms_nm, sizeof(double) * x->nz) == 0);
    }
    CHECK_OK(spline_set_save(p2, &b));
    CHECK(same_file(p1, p2));

    /* the documented layout, read independently */
    long size = 0;
    unsigned char *file = (unsigned char *)slurp(p1, &size);
    uint64_t n = header_length(file);
    CHECK(n % 8 == 0 && 8 + n < (uint64_t)size);
    const size_t plane_bytes = 4u * (2 * HALF * OS + 1) * (2 * HALF * OS + 1) * NZ;
    CHECK((uint64_t)size == 8 + n + 3 * plane_bytes);
    char *header = strndup((const char *)file + 8, n);
    CHECK(strstr(header, "\"format\":\"mumloc-spline-psf\"") != NULL);
    CHECK(strstr(header, "\"plane2.coef\":{\"dtype\":\"F32\",\"shape\":[5,17,17]") != NULL);
    sha256_state h;
    sha256_init(&h);
    sha256_update(&h, file + 8 + n, (size_t)size - 8 - n);
    char hex[65];
    sha256_hex(&h, hex);
    CHECK(strstr(header, hex) != NULL && strcmp(hex, a.sha256) == 0);
    /* plane 2's coefficient 7, little-endian float32 */
    const unsigned char *at = file + 8 + n + plane_bytes + 4 * 7;
    uint32_t bits = at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
    float v;
    memcpy(&v, &bits, 4);
    CHECK(v == a.plane[1].coef[7]);
    free(header);

    /* hostile files: truncated anywhere, a changed coefficient, another plane count, a huge header */
    const char *bad = path_of("bad.psf.safetensors");
    const long cuts[] = {0, 5, 8, 8 + (long)n / 2, 8 + (long)n, 8 + (long)n + 100, size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes(bad, file, (size_t)cuts[i]);
        mumloc_status s = spline_set_load(bad, &c);
        CHECK(s == MUMLOC_ERR_FORMAT || s == MUMLOC_ERR_IO);
        CHECK(strstr(mumloc_last_error(), bad) != NULL);
    }
    file[size - 3] ^= 0x10;
    write_bytes(bad, file, (size_t)size);
    CHECK_STATUS(spline_set_load(bad, &c), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "changed") != NULL);
    file[size - 3] ^= 0x10;
    char *planes = strstr((char *)file + 8, "\"planes\":\"3\"");
    CHECK(planes != NULL);
    if (planes) {
        planes[10] = '2';
        write_bytes(bad, file, (size_t)size);
        CHECK_STATUS(spline_set_load(bad, &c), MUMLOC_ERR_FORMAT);
        planes[10] = '3';
    }
    file[7] = 0x7f; /* a header length of ~9e18 */
    write_bytes(bad, file, (size_t)size);
    CHECK_STATUS(spline_set_load(bad, &c), MUMLOC_ERR_FORMAT);
    CHECK_STATUS(spline_set_load(test_dir, &c), MUMLOC_ERR_IO); /* a folder */
    free(file);
    spline_set_free(&a);
    spline_set_free(&b);
}

static void rig_with_spline(void) {
    char sidecar[1024];
    const char *rig_path = path_of("rig.json");
    CHECK_OK(mumloc_rig_psf_sidecar_path(rig_path, sidecar, sizeof sidecar));
    CHECK(strcmp(sidecar + strlen(sidecar) - strlen("/rig.psf.safetensors"), "/rig.psf.safetensors") == 0);
    CHECK_OK(mumloc_rig_psf_sidecar_path("rig", sidecar, sizeof sidecar));
    CHECK(strcmp(sidecar, "rig.psf.safetensors") == 0);
    CHECK_STATUS(mumloc_rig_psf_sidecar_path("rig.json", sidecar, 8), MUMLOC_ERR_INVALID_ARGUMENT);

    mumloc_rig rig, loaded;
    mumloc_rig_default(&rig, 3, 64, 48);
    rig.optics.pixel_nm = 100.0;
    CHECK_OK(mumloc_rig_save(rig_path, &rig));
    char *text = slurp(rig_path, NULL);
    CHECK(text && strstr(text, "\"psf\":") == NULL);
    free(text);

    spline_set set;
    make_set(3, 0.0, &set);
    CHECK_OK(spline_set_save(path_of("rig.psf.safetensors"), &set));
    rig.psf = MUMLOC_PSF_SPLINE;
    snprintf(rig.psf_file, sizeof rig.psf_file, "rig.psf.safetensors");
    memcpy(rig.psf_hash, set.sha256, 65);
    CHECK_OK(mumloc_rig_save(rig_path, &rig));
    CHECK_OK(mumloc_rig_load(rig_path, &loaded));
    CHECK(loaded.psf == MUMLOC_PSF_SPLINE && strcmp(loaded.psf_file, "rig.psf.safetensors") == 0);
    CHECK(strcmp(loaded.psf_path, path_of("rig.psf.safetensors")) == 0);
    spline_set got;
    psf_model model;
    CHECK_OK(rig_psf_model(&loaded, &got, &model));
    CHECK(model.kind == MUMLOC_PSF_SPLINE && model.spline == got.plane && model.optics == &loaded.optics);
    CHECK(got.planes == 3 && memcmp(got.plane[2].coef, set.plane[2].coef, sizeof(float) * 17 * 17 * NZ) == 0);
    spline_set_free(&got);

    /* a changed spline file (another PSF), a spline of other planes, a missing file */
    spline_set other;
    make_set(3, 0.001, &other);
    CHECK_OK(spline_set_save(path_of("rig.psf.safetensors"), &other));
    CHECK_STATUS(mumloc_rig_load(rig_path, &loaded), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "rig.psf.safetensors") != NULL);
    spline_set_free(&other);
    make_set(2, 0.0, &other);
    CHECK_OK(spline_set_save(path_of("rig.psf.safetensors"), &other));
    memcpy(rig.psf_hash, other.sha256, 65);
    CHECK_OK(mumloc_rig_save(rig_path, &rig));
    CHECK_STATUS(mumloc_rig_load(rig_path, &loaded), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "2 planes") != NULL);
    spline_set_free(&other);
    remove(path_of("rig.psf.safetensors"));
    CHECK_STATUS(mumloc_rig_load(rig_path, &loaded), MUMLOC_ERR_IO);
    CHECK(strstr(mumloc_last_error(), "rig.psf.safetensors") != NULL);

    /* a hand-written psf member with a typo is refused, gaussian takes no file */
    const char *typo = path_of("typo.json");
    FILE *f = fopen(typo, "wb");
    fputs("{\"mumloc_rig\": 1, \"width\": 8, \"height\": 8, \"optics\": {\"planes\": 1}, "
          "\"cameras\": [{\"to_camera\": [1, 0, 0, 0, 1, 0]}], \"psf\": {\"model\": \"gaussian\", "
          "\"file\": \"x\"}}",
          f);
    fclose(f);
    CHECK_STATUS(mumloc_rig_load(typo, &loaded), MUMLOC_ERR_FORMAT);
    spline_set_free(&set);
}

int main(void) {
    test_dir_create("spline_file");
    round_trip();
    rig_with_spline();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_spline_file");
}
