/* The simulation parameters as one line of JSON, so that a movie records how it was made. Written
 * through the JSON module so numbers are locale-independent and read back exactly
 * (sim_params_json_read.c reads them back). Keys added later go last. */
#include <inttypes.h>
#include <string.h>

#include "core/error.h"
#include "io/json.h"
#include "optics/optics_json.h"
#include "io/text_buffer.h"

static void put_number(text_buffer *t, const char *key, double value) {
    text_printf(t, ",\"%s\":", key);
    json_write_number(t, value);
}

static void write_params(text_buffer *t, const mumloc_sim_params *p) {
    text_printf(t, "{\"mumloc_version\":\"%s\",\"optics\":", mumloc_version());
    optics_write_json(t, &p->optics, 0);
    text_puts(t, ",\"camera\":{\"background_photons\":");
    json_write_number(t, p->camera.background_photons);
    put_number(t, "read_noise_e", p->camera.read_noise_e);
    put_number(t, "em_gain", p->camera.em_gain);
    put_number(t, "adu_per_electron", p->camera.adu_per_electron);
    put_number(t, "offset_adu", p->camera.offset_adu);
    text_printf(t,
                       "},\"noise\":\"%s\",\"sample\":\"%s\",\"width\":%d,\"height\":%d,"
                       "\"frames\":%" PRId64 ",\"seed\":%" PRIu64 ",\"molecules\":%d",
                       mumloc_noise_name((int)p->noise), mumloc_sample_name((int)p->sample), p->width, p->height, p->frames,
                       p->seed, p->molecules);
    put_number(t, "density_per_um2", p->density_per_um2);
    put_number(t, "weight_min", p->weight_min);
    put_number(t, "weight_max", p->weight_max);
    put_number(t, "z_min_nm", p->z_min_nm);
    put_number(t, "z_max_nm", p->z_max_nm);
    put_number(t, "drift_max_nm", p->drift_max_nm);
    put_number(t, "drift_step_nm", p->drift_step_nm);
    text_printf(t, ",\"filaments\":%d,\"molecules_min\":%d", p->filaments,
                       p->molecules_min);
    /* Only when used, so that records of movies without it stay as they were. */
    if (p->stage_drift_nm > 0.0) put_number(t, "stage_drift_nm", p->stage_drift_nm);
    if (p->camera_drift_nm > 0.0) put_number(t, "camera_drift_nm", p->camera_drift_nm);
    text_puts(t, "}");
}

mumloc_status mumloc_sim_params_to_json(const mumloc_sim_params *params, char *buf, size_t cap,
                                        size_t *needed) {
    if (needed) *needed = 0;
    if (!params) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "sim params to json: no parameters");
    ERROR_TRY(mumloc_sim_params_validate(params));
    text_buffer t = {0};
    write_params(&t, params);
    mumloc_status s = text_status(&t);
    if (s == MUMLOC_OK) {
        if (needed) *needed = t.len + 1;
        if (buf && cap >= t.len + 1) {
            memcpy(buf, t.data, t.len + 1);
        } else {
            if (buf && cap > 0) buf[0] = '\0';
            s = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                            "sim params to json: the buffer holds %zu bytes but %zu are needed", cap,
                            t.len + 1);
        }
    }
    text_free(&t);
    return s;
}
