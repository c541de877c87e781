/* Models and per-plane optics: a model made for a rig keeps its per-plane optics through save and
 * load, refuses other per-plane optics naming the plane and the field, accepts the papers' optics
 * written either way (per_plane 0, or 1 with every plane at the common values), and model files
 * written before per-plane optics (the bundled model) load as per_plane 0. */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "rig_optics.h"
#include "test_io_dir.h"

static void expect_refused(const mumloc_model *m, const mumloc_optics *o, const char *f1,
                           const char *f2) {
    mumloc_status s = mumloc_model_check_optics(m, o);
    const char *msg = mumloc_last_error();
    if (s != MUMLOC_ERR_INVALID_ARGUMENT || !strstr(msg, f1) || !strstr(msg, f2)) {
        fprintf(stderr, "check_optics: %s \"%s\", expected \"%s\" and \"%s\"\n",
                mumloc_status_string(s), msg, f1, f2);
        check_failures++;
    }
}

static void rig_model(void) {
    mumloc_optics rig, loaded;
    test_rig_optics(&rig);
    mumloc_model *m = NULL, *back = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &rig, NULL, 1.0, 3, &m));
    if (!m) return;
    CHECK_OK(mumloc_model_save(m, path_of("rig.safetensors")));
    CHECK_OK(mumloc_model_load(path_of("rig.safetensors"), &back));
    if (back) {
        mumloc_model_optics(back, &loaded);
        CHECK(loaded.per_plane == 1);
        for (int d = 0; d < 4; d++)
            CHECK(memcmp(&loaded.plane_psf[d], &rig.plane_psf[d], sizeof rig.plane_psf[d]) == 0);
        CHECK_OK(mumloc_model_check_optics(back, &rig));
        mumloc_model_destroy(back);
    }

    mumloc_optics other = rig;
    other.plane_psf[1].w0_nm = 151.0;
    expect_refused(m, &other, "plane 2 w0_nm 150 (model) vs 151", "retrain");
    other = rig;
    other.plane_psf[2].B = 0.2;
    expect_refused(m, &other, "plane 3 B", "0.12 (model) vs 0.2");
    other = rig;
    other.plane_psf[3].transmission = 2.4; /* plane 4's share: 1.2/4.6 → 2.4/5.8 */
    expect_refused(m, &other, "plane 4 photon share", "plane 1 photon share");
    /* the papers' optics are other optics for a rig model */
    mumloc_optics papers;
    mumloc_optics_default(&papers);
    expect_refused(m, &papers, "plane 1 w0_nm 125 (model) vs 133.05", "plane 2 photon share");
    /* only ratios of transmissions matter: all scaled by 2 is the same rig */
    other = rig;
    for (int d = 0; d < 4; d++) other.plane_psf[d].transmission *= 2.0;
    CHECK_OK(mumloc_model_check_optics(m, &other));
    mumloc_model_destroy(m);
}

static void papers_model(void) {
    mumloc_optics papers, equal;
    mumloc_optics_default(&papers);
    equal = papers;
    equal.per_plane = 1;
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &papers, NULL, 1.0, 3, &m));
    if (!m) return;
    CHECK_OK(mumloc_model_check_optics(m, &equal));
    equal.plane_psf[0].A = 0.0;
    expect_refused(m, &equal, "plane 1 A 0.000737 (model) vs 0", "retrain");
    /* the papers' optics write no plane_psf into the model's metadata */
    CHECK(strstr(mumloc_model_info_json(m), "plane_psf") == NULL);
    mumloc_model_destroy(m);

    /* the bundled model predates per-plane optics */
    char bundled[1024];
    snprintf(bundled, sizeof bundled, "%s", __FILE__);
    char *cut = strstr(bundled, "tests/c/");
    if (!cut) return;
    snprintf(cut, sizeof bundled - (size_t)(cut - bundled), "test-data/default-model.safetensors");
    CHECK_OK(mumloc_model_load(bundled, &m));
    if (!m) return;
    mumloc_optics optics;
    mumloc_model_optics(m, &optics);
    CHECK(optics.per_plane == 0);
    CHECK_OK(mumloc_model_check_optics(m, &papers));
    papers.per_plane = 1;
    CHECK_OK(mumloc_model_check_optics(m, &papers));
    mumloc_model_destroy(m);
}

int main(void) {
    test_dir_create("model_per_plane");
    rig_model();
    papers_model();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_model_per_plane");
}
