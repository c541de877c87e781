/* Training for a rig (mumloc_train_options.rig): the frames the network sees are registered (camera
 * 1's geometry) and in photons, each plane recorded with its own camera's model. Checked against the
 * closed forms of that model: in photons, a molecule-free plane has mean λ and variance
 * E·λ + (σ/G)² (E = 2 with EM gain, the excess noise factor; 1 without; σ read noise in electrons,
 * G EM gain), whatever the camera's offset and ADU gain. And options that mix a rig with other
 * optics are refused. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "model/model_handle.h"
#include "mumloc.h"
#include "train/train_data.h"

static void rig_of_four(mumloc_rig *rig) {
    mumloc_rig_default(rig, 4, 32, 32);
    const double offset[4] = {100, 400, 0, 50}, gain[4] = {1, 0.25, 3, 0.5};
    const double em[4] = {1, 1, 20, 150}, noise[4] = {1.5, 6, 20, 40};
    for (int d = 0; d < 4; d++) {
        rig->camera[d].offset_adu = offset[d];
        rig->camera[d].adu_per_electron = gain[d];
        rig->camera[d].em_gain = em[d];
        rig->camera[d].read_noise_e = noise[d];
    }
    rig->camera[1].to_camera[0] = -1.01; /* geometry plays no part in registered frames */
    rig->camera[1].to_camera[2] = 32.2;
    rig->camera[1].flip_x = 1;
    rig->optics.per_plane = 1;
    for (int d = 0; d < 4; d++) {
        mumloc_plane_psf psf = {125 + 5 * d, 300, 0, 0.12, 1 - 0.1 * d};
        rig->optics.plane_psf[d] = psf;
    }
}

static void test_registered_noise(void) {
    static mumloc_rig rig;
    rig_of_four(&rig);
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.optics = rig.optics;
    p.width = p.height = 32;
    p.molecules = 0;
    p.camera.background_photons = 12;
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &p.optics, &p.camera, 1.0, 1, &model));
    if (!model) return;
    enum { FRAMES = 8 };
    train_data d;
    CHECK_OK(train_data_init(&d, &p, &rig, 5, model, FRAMES));
    CHECK_OK(train_data_fill(&d, 0, FRAMES));
    const size_t area = 32 * 32;
    for (int plane = 0; plane < 4; plane++) {
        double sum = 0, sum2 = 0;
        size_t n = 0;
        for (int f = 0; f < FRAMES; f++)
            for (size_t i = 0; i < area; i++, n++) {
                double photons = d.input[((size_t)f * 4 + plane) * area + i] * model->input_scale +
                                 model->input_background;
                sum += photons;
                sum2 += photons * photons;
            }
        double mean = sum / n, var = sum2 / n - mean * mean;
        const mumloc_rig_camera *c = &rig.camera[plane];
        double excess = c->em_gain > 1 ? 2.0 : 1.0;
        double expected_var = excess * 12 + pow(c->read_noise_e / c->em_gain, 2);
        CHECK_NEAR(mean, 12, 5 * sqrt(expected_var / n));
        CHECK_NEAR(var, expected_var, 0.08 * expected_var);
    }
    train_data_free(&d);
    mumloc_model_destroy(model);
}

static void test_options(void) {
    static mumloc_rig rig;
    rig_of_four(&rig);
    mumloc_train_options o;
    mumloc_train_options_default(&o, MUMLOC_ARCH_REGRESSION);
    o.out_path = "unused.safetensors";
    o.rig = &rig;
    CHECK_STATUS(mumloc_train_options_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "rig's optics") != NULL);
    o.sim.optics = rig.optics;
    CHECK_OK(mumloc_train_options_validate(&o));
    rig.camera[2].em_gain = 0.5; /* a broken rig is named */
    CHECK_STATUS(mumloc_train_options_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "camera 3") != NULL);
}

int main(void) {
    mumloc_set_threads(2);
    test_registered_noise();
    test_options();
    return CHECK_DONE("test_train_rig");
}
