/* The names of the sample-drift estimators (see core/enum_names.h). */
#include "core/enum_names.h"

static const char *const method_names[] = {"rcc", "fiducial"};

const char *mumloc_drift_method_name(int method) {
    return enum_name(method_names, ENUM_COUNT(method_names), method);
}

mumloc_status mumloc_drift_method_from_name(const char *name, mumloc_drift_method *out) {
    int v = 0;
    mumloc_status status =
        enum_from_name(method_names, ENUM_COUNT(method_names), "drift method", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_drift_method)v;
    return status;
}
