/* Training options: the papers' recipes as defaults (science.md §4) and validation. */
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/range_check.h"

void mumloc_train_options_default(mumloc_train_options *o, mumloc_arch arch) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->arch = arch;
    mumloc_sim_params_default(&o->sim);
    o->lr = 1e-3;
    o->beta1 = 0.9;
    o->eps = 1e-8;
    o->lr_decay = 1.0;
    o->seed = 1;
    o->validation_frames = 500;
    o->validation_seed = 1000003;
    if (arch == MUMLOC_ARCH_VOXEL) { /* 2021: 16×16×4, K = 3, batch 100, 30 × 90,000, β2 0.99 */
        o->sim.width = o->sim.height = 16;
        o->sim.molecules = 3;
        o->batch = 100;
        o->epochs = 30;
        o->frames_per_epoch = 90000;
        o->beta2 = 0.99;
    } else { /* 2020: 64×64×4, M = 50, batch 50, 20 × 100,000, β2 0.999 (the authors' code) */
        o->sim.width = o->sim.height = 64;
        o->sim.molecules = 50;
        o->batch = 50;
        o->epochs = 20;
        o->frames_per_epoch = 100000;
        o->beta2 = 0.999;
    }
}

mumloc_status mumloc_train_options_validate(const mumloc_train_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "training options must not be NULL");
    if (!mumloc_arch_name((int)o->arch))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "arch must be regression or voxel (got %d)",
                           (int)o->arch);
    ERROR_TRY(mumloc_sim_params_validate(&o->sim));
    if (o->sim.sample != MUMLOC_SAMPLE_UNIFORM)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "sample must be uniform for training (independent molecules)");
    ERROR_TRY(check_int_range("steps", (long long)o->steps, 0, 1000000000LL));
    if (o->steps == 0) {
        ERROR_TRY(check_int_range("epochs", o->epochs, 1, 100000));
        ERROR_TRY(check_int_range("frames-per-epoch", (long long)o->frames_per_epoch, 1,
                                          1000000000LL));
    }
    ERROR_TRY(check_int_range("batch", o->batch, 1, 4096));
    ERROR_TRY(check_positive("lr", o->lr, 10.0, ""));
    ERROR_TRY(range_check("beta1", o->beta1, 0.0, 0.999999, ""));
    ERROR_TRY(range_check("beta2", o->beta2, 0.0, 0.999999999, ""));
    ERROR_TRY(check_positive("eps", o->eps, 1.0, ""));
    ERROR_TRY(check_positive("lr-decay", o->lr_decay, 1.0, ""));
    ERROR_TRY(check_int_range("lr-decay-steps", (long long)o->lr_decay_steps, 0,
                                      1000000000LL));
    ERROR_TRY(check_int_range("validation-frames", o->validation_frames, 1, 1000000));
    ERROR_TRY(check_int_range("validation-interval", (long long)o->validation_interval, 0,
                                      1000000000LL));
    ERROR_TRY(check_int_range("checkpoint-interval", (long long)o->checkpoint_interval, 0,
                                      1000000000LL));
    ERROR_TRY(range_check("threshold", o->threshold, 0.0, 0.999999, ""));
    ERROR_TRY(check_int_range("tune-threshold", o->tune_threshold, 0, 1));
    if ((o->device.kind != MUMLOC_DEVICE_AUTO && o->device.kind != MUMLOC_DEVICE_CPU &&
         o->device.kind != MUMLOC_DEVICE_CUDA) || o->device.index < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device: kind %d index %d is not a device",
                           (int)o->device.kind, o->device.index);
    if (o->rig) {
        ERROR_TRY(mumloc_rig_validate(o->rig));
        if (memcmp(&o->rig->optics, &o->sim.optics, sizeof o->sim.optics) != 0)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "rig: training with a rig simulates its optics: set sim.optics to the "
                               "rig's optics (do not give other optics with a rig)");
    }
    if (!o->out_path || !*o->out_path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "out: training needs a model file to write");
    return MUMLOC_OK;
}
