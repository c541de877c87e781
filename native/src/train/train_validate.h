/* The fixed validation set of a training run: loss and detection metrics after decoding. */
#ifndef TRAIN_TRAIN_VALIDATE_H
#define TRAIN_TRAIN_VALIDATE_H

#include "train/train_data.h"

typedef struct train_metrics {
    double loss; /* per frame */
    int64_t truths, localizations, tp, fp, fn;
    double jaccard, recall, precision, rmse_xy_nm, rmse_z_nm;
} train_metrics;

/* Frames [0, frames) of d's simulator in batches of d->capacity: forward (inference mode), loss
 * against the targets, decoding at the model's threshold, and matching against the truth at 150 nm
 * (mumloc_evaluate). */
mumloc_status train_validate(mumloc_model *model, train_data *d, int frames, train_metrics *out);

/* The same set, forward once, decoded and scored at each of the count thresholds (out[i] at
 * thresholds[i]; the loss does not depend on the threshold). */
mumloc_status train_validate_sweep(mumloc_model *model, train_data *d, int frames,
                                   const double *thresholds, int count, train_metrics *out);

#endif
