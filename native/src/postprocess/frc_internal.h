/* Internal view of mumloc_frc: the computation (frc.c) and its outputs (frc_output.c). */
#ifndef POSTPROCESS_FRC_INTERNAL_H
#define POSTPROCESS_FRC_INTERNAL_H

#include "mumloc.h"

struct mumloc_frc {
    mumloc_frc_options options;
    mumloc_frc_summary summary;
    double *frequency, *curve, *smoothed; /* summary.rings each */
    char *text, *json;
};

/* Builds frc->text and frc->json from the summary (frc_output.c). */
mumloc_status frc_build_reports(mumloc_frc *frc);

#endif
