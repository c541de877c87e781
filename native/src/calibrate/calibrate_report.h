/* The calibration report PNG (calibrate_report.c). */
#ifndef CALIBRATE_REPORT_H
#define CALIBRATE_REPORT_H

#include "calibrate/calibrate_internal.h"

/* Writes the report of a finished calibration to path (atomically). */
mumloc_status cal_report_png(const cal_result *result, const cal_input *input, const char *path);

#endif
