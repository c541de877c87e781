/* PSF records (see psf_record.h). */
#include "optics/psf_record.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "io/json.h"

void psf_record_of_rig(const mumloc_rig *rig, psf_record *out) {
    memset(out, 0, sizeof *out);
    out->kind = rig->psf;
    if (rig->psf != MUMLOC_PSF_SPLINE) return;
    snprintf(out->hash, sizeof out->hash, "%s", rig->psf_hash);
    snprintf(out->file, sizeof out->file, "%s", rig->psf_file);
}

void psf_record_write(text_buffer *out, const psf_record *r) {
    text_printf(out, "{\"model\":");
    json_write_string(out, mumloc_psf_kind_name(r->kind));
    if (r->kind == MUMLOC_PSF_SPLINE) {
        text_printf(out, ",\"hash\":");
        json_write_string(out, r->hash);
        if (r->file[0]) {
            text_printf(out, ",\"file\":");
            json_write_string(out, r->file);
        }
    }
    text_printf(out, "}");
}

static int is_hash(const char *s) {
    if (strlen(s) != 64) return 0;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return 0;
    return 1;
}

static mumloc_status from_json(const json_value *v, const char *label, psf_record *out) {
    memset(out, 0, sizeof *out);
    const json_value *model = v->type == JSON_OBJECT ? json_get(v, "model") : NULL;
    const json_value *hash = model ? json_get(v, "hash") : NULL;
    const json_value *file = model ? json_get(v, "file") : NULL;
    if (!model || model->type != JSON_STRING ||
        mumloc_psf_kind_from_name(model->string, &out->kind) != MUMLOC_OK)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "%s: the PSF record needs \"model\": \"gaussian\" or \"spline\"", label);
    if (out->kind == MUMLOC_PSF_SPLINE) {
        if (!hash || hash->type != JSON_STRING || !is_hash(hash->string))
            return error_fail(MUMLOC_ERR_FORMAT,
                               "%s: a spline PSF record needs \"hash\": 64 lowercase hex digits",
                               label);
        snprintf(out->hash, sizeof out->hash, "%s", hash->string);
        if (file && file->type == JSON_STRING)
            snprintf(out->file, sizeof out->file, "%s", file->string);
    }
    return MUMLOC_OK;
}

mumloc_status psf_record_parse(const char *json, const char *label, psf_record *out) {
    memset(out, 0, sizeof *out);
    if (!json || !*json) return MUMLOC_OK;
    json_value *v = NULL;
    ERROR_TRY(json_parse(json, strlen(json), label, &v));
    mumloc_status s = from_json(v, label, out);
    json_free(v);
    return s;
}

mumloc_status psf_record_from_description(const char *description, psf_record *out) {
    memset(out, 0, sizeof *out);
    const char *json = description ? strstr(description, "mumloc=") : NULL;
    json = json ? json + 7 : description;
    if (!json || *json != '{') return MUMLOC_OK;
    /* the record is the description's first line */
    size_t len = strcspn(json, "\n\r");
    json_value *v = NULL;
    if (json_parse(json, len, "the movie's description", &v) != MUMLOC_OK) {
        clear_error();
        return MUMLOC_OK; /* not mumloc's record: the user vouches for the PSF, as for optics */
    }
    const json_value *psf = json_get(v, "psf");
    mumloc_status s = psf ? from_json(psf, "the movie's description", out) : MUMLOC_OK;
    json_free(v);
    return s;
}

static void describe(const psf_record *r, const char *label, char *buf, size_t cap) {
    if (r->kind == MUMLOC_PSF_SPLINE)
        snprintf(buf, cap, "the measured spline PSF %.12s...%s%s%s (%s)", r->hash,
                 r->file[0] ? " from '" : "", r->file, r->file[0] ? "'" : "", label);
    else
        snprintf(buf, cap, "the Gaussian model (%s)", label);
}

int psf_record_differs(const psf_record *a, const char *a_label,
                              const psf_record *b, const char *b_label, char *why,
                              size_t cap) {
    int differs = a->kind != b->kind ||
                  (a->kind == MUMLOC_PSF_SPLINE && strcmp(a->hash, b->hash) != 0);
    if (differs && why && cap) {
        char da[MUMLOC_RIG_PSF_FILE_MAX + 128], db[MUMLOC_RIG_PSF_FILE_MAX + 128];
        describe(a, a_label, da, sizeof da);
        describe(b, b_label, db, sizeof db);
        snprintf(why, cap, "%s vs %s", da, db);
    }
    return differs;
}
