/* Rendering parameters: defaults, validation (messages name the field and its range), and fitting
 * the field and z range to the data. */
#include <math.h>

#include "core/enum_names.h"
#include "core/error.h"
#include "render/render_internal.h"

void mumloc_render_params_default(mumloc_render_params *p) {
    *p = (mumloc_render_params){
        .pixel_nm = 10.0,
        .method = MUMLOC_RENDER_HISTOGRAM,
        .sigma_nm = 0.0,
        .sigma_min_nm = 2.0,
        .sigma_max_nm = 100.0,
        .ash_shifts = 2,
        .field_width_nm = 0.0,
        .field_height_nm = 0.0,
        .z_min_nm = 0.0,
        .z_max_nm = 1600.0,
        .z_from_data = 0,
        .colormap = MUMLOC_COLORMAP_VIRIDIS,
        .saturation_percentile = 99.5,
        .saturation_density = 0.0,
        .colorbar = 1,
        .zstack = 0,
        .z_bin_nm = 100.0,
    };
}

/* Largest accepted lengths: 1 m in nm, far beyond any microscope field, so overflow cannot happen. */
#define LENGTH_LIMIT_NM 1e9

static mumloc_status check_range(const char *name, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: %s must be in [%g, %g], got %g",
                           name, lo, hi, value);
    return MUMLOC_OK;
}

mumloc_status mumloc_render_params_validate(const mumloc_render_params *p) {
    if (!p) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: parameters are NULL");
    if (!(p->pixel_nm > 0.0) || !(p->pixel_nm <= 1e6))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: pixel_nm must be > 0 and at most 1000000 nm, got %g", p->pixel_nm);
    if ((int)p->method < 0 || (int)p->method > MUMLOC_RENDER_ASH)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: method must be histogram (0), gaussian (1) or ash (2), got %d",
                           (int)p->method);
    ERROR_TRY(check_range("sigma_nm (0 = from the table)", p->sigma_nm, 0.0, LENGTH_LIMIT_NM));
    if (!(p->sigma_min_nm > 0.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: sigma_min_nm must be > 0, got %g",
                           p->sigma_min_nm);
    if (!(p->sigma_max_nm >= p->sigma_min_nm) || !(p->sigma_max_nm <= 1e6))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: sigma_max_nm must be in [sigma_min_nm = %g, 1000000], got %g",
                           p->sigma_min_nm, p->sigma_max_nm);
    if (p->ash_shifts < 1 || p->ash_shifts > RENDER_MAX_ASH_SHIFTS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: ash_shifts must be in 1..%d, got %d",
                           RENDER_MAX_ASH_SHIFTS, p->ash_shifts);
    ERROR_TRY(check_range("field_width_nm (0 = from the data)", p->field_width_nm, 0.0,
                           LENGTH_LIMIT_NM));
    ERROR_TRY(check_range("field_height_nm (0 = from the data)", p->field_height_nm, 0.0,
                           LENGTH_LIMIT_NM));
    if (!p->z_from_data) {
        ERROR_TRY(check_range("z_min_nm", p->z_min_nm, -LENGTH_LIMIT_NM, LENGTH_LIMIT_NM));
        ERROR_TRY(check_range("z_max_nm", p->z_max_nm, -LENGTH_LIMIT_NM, LENGTH_LIMIT_NM));
        if (!(p->z_max_nm > p->z_min_nm))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "render: z range is empty: z_max_nm (%g) must be greater than "
                               "z_min_nm (%g)",
                               p->z_max_nm, p->z_min_nm);
    }
    if ((int)p->colormap < 0 || (int)p->colormap >= MUMLOC_COLORMAP_COUNT)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: colormap must be 0..%d (viridis, turbo), got %d",
                           MUMLOC_COLORMAP_COUNT - 1, (int)p->colormap);
    ERROR_TRY(check_range("saturation_percentile", p->saturation_percentile, 0.0, 100.0));
    if (!(p->saturation_percentile > 0.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: saturation_percentile must be in (0, 100], got %g",
                           p->saturation_percentile);
    ERROR_TRY(check_range("saturation_density (0 = from the percentile)", p->saturation_density,
                           0.0, 1e30));
    if (p->colorbar != 0 && p->colorbar != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: colorbar must be 0 or 1, got %d",
                           p->colorbar);
    if (p->zstack != 0 && p->zstack != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: zstack must be 0 or 1, got %d",
                           p->zstack);
    if (p->zstack && (!(p->z_bin_nm > 0.0) || !(p->z_bin_nm <= LENGTH_LIMIT_NM)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: z_bin_nm (z-stack slice thickness) must be > 0, got %g",
                           p->z_bin_nm);
    return MUMLOC_OK;
}

void render_extent_init(render_extent *e) {
    *e = (render_extent){0.0, 0.0, INFINITY, -INFINITY, 0};
}

void render_extent_add(render_extent *e, double x, double y, double z) {
    if (x > e->x_max) e->x_max = x;
    if (y > e->y_max) e->y_max = y;
    if (z < e->z_min) e->z_min = z;
    if (z > e->z_max) e->z_max = z;
    e->count++;
}

mumloc_status render_extent_apply(const render_extent *e, mumloc_render_params *p) {
    ERROR_TRY(mumloc_render_params_validate(p));
    /* The field holds the largest coordinate: floor(max / p) + 1 whole pixels. */
    if (p->field_width_nm == 0.0) p->field_width_nm = (floor(fmax(e->x_max, 0.0) / p->pixel_nm) + 1) * p->pixel_nm;
    if (p->field_height_nm == 0.0)
        p->field_height_nm = (floor(fmax(e->y_max, 0.0) / p->pixel_nm) + 1) * p->pixel_nm;
    if (p->z_from_data) {
        if (e->count == 0)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "render: the z range cannot come from the data: there are no "
                               "localizations; give z_min and z_max");
        p->z_min_nm = e->z_min;
        /* All at one depth: a 1 nm range, so that they take the map's first colour. */
        p->z_max_nm = e->z_max > e->z_min ? e->z_max : e->z_min + 1.0;
        p->z_from_data = 0;
    }
    return MUMLOC_OK;
}

mumloc_status render_check_finite(int64_t index, double x, double y, double z) {
    if (!isfinite(x) || !isfinite(y) || !isfinite(z))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: localization %lld has a non-finite coordinate (x %g, y %g, "
                           "z %g); remove such rows first",
                           (long long)index, x, y, z);
    return MUMLOC_OK;
}

mumloc_status mumloc_render_params_fit(mumloc_render_params *p, int64_t count, const double *x,
                                       const double *y, const double *z) {
    if (!p) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: parameters are NULL");
    if (count < 0 || (count > 0 && (!x || !y || !z)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: fit needs count >= 0 and x, y, z arrays (count %lld)",
                           (long long)count);
    render_extent e;
    render_extent_init(&e);
    for (int64_t i = 0; i < count; i++) {
        ERROR_TRY(render_check_finite(i, x[i], y[i], z[i]));
        render_extent_add(&e, x[i], y[i], z[i]);
    }
    return render_extent_apply(&e, p);
}

static const char *const method_names[] = {"histogram", "gaussian", "ash"};

const char *mumloc_render_method_name(int method) {
    return enum_name(method_names, ENUM_COUNT(method_names), method);
}

mumloc_status mumloc_render_method_from_name(const char *name, mumloc_render_method *out) {
    int v = 0;
    mumloc_status status =
        enum_from_name(method_names, ENUM_COUNT(method_names), "render method", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_render_method)v;
    return status;
}
