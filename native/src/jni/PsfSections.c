/* org.mumloc.PsfSections: a rig file's measured PSF beside its Gaussian model as section images
 * (optics/psf_sections.h), one per plane, for "MUMLoc Calibrate". The result is a PsfSections mirror
 * written by field name. Every failure is a MumlocException. */
#include <stddef.h>
#include <stdlib.h>

#include "jni/jni_common.h"
#include "optics/psf_sections.h"
#include "rig/rig_psf.h"

typedef struct sections_shape {
    int planes, width, depths, lateral;
    double lateral_step_nm, z0_nm, z_step_nm;
} sections_shape;

enum { PIXELS };
static const jni_field sections_fields[] = {
    {"pixels", "[F", 0},
    {"planes", "I", offsetof(sections_shape, planes)},
    {"width", "I", offsetof(sections_shape, width)},
    {"depths", "I", offsetof(sections_shape, depths)},
    {"lateral", "I", offsetof(sections_shape, lateral)},
    {"lateralStepNm", "D", offsetof(sections_shape, lateral_step_nm)},
    {"z0Nm", "D", offsetof(sections_shape, z0_nm)},
    {"zStepNm", "D", offsetof(sections_shape, z_step_nm)},
};
static jni_mirror sections_mirror = JNI_MIRROR("the PSF sections", sections_fields);

/* The sections of every plane in one new PsfSections, or NULL for a rig with the Gaussian model. */
static jobject sections(JNIEnv *env, jclass cls, const psf_model *m) {
    const int k = m->optics->planes;
    psf_sections_grid g;
    psf_sections_grid_of(m, 0, &g);
    for (int d = 1; d < k; d++) { /* planes may differ in grid: the first plane's shape for all */
        psf_sections_grid gd;
        psf_sections_grid_of(m, d, &gd);
        if (gd.width != g.width || gd.height != g.height) {
            jni_invalid(env, "the rig's spline planes have different grids (plane %d); "
                               "recalibrate with --psf spline", d + 1);
            return NULL;
        }
    }
    const size_t area = (size_t)g.width * g.height;
    float *pixels = malloc(area * k * sizeof *pixels);
    if (!pixels) {
        jni_oom(env, "the PSF sections");
        return NULL;
    }
    jobject out = NULL;
    mumloc_status st = MUMLOC_OK;
    for (int d = 0; d < k && st == MUMLOC_OK; d++) {
        psf_sections_grid gd;
        psf_sections_grid_of(m, d, &gd);
        st = psf_sections(m, d, &gd, pixels + d * area);
    }
    if (!jni_check(env, st)) {
        const sections_shape shape = {k, g.width, g.height, g.lateral,
                                      g.lateral_step_nm, g.z0_nm, g.z_step_nm};
        jfloatArray array = (*env)->NewFloatArray(env, (jsize)(area * k));
        out = array ? (*env)->AllocObject(env, cls) : NULL;
        if (out) {
            (*env)->SetFloatArrayRegion(env, array, 0, (jsize)(area * k), pixels);
            if (jni_mirror_write(env, &sections_mirror, &shape, out))
                out = NULL;
            else
                jni_mirror_set_object(env, &sections_mirror, out, PIXELS, array);
        } else if (!(*env)->ExceptionCheck(env)) {
            jni_oom(env, "the PSF sections");
        }
    }
    free(pixels);
    return out;
}

JNI_METHOD(PsfSections, jobject, nOfRig, JNIEnv *env, jclass cls, jstring jpath) {
    char *path = jni_required_utf8(env, jpath, "the rig file");
    if (!path) return NULL;
    mumloc_rig *rig = malloc(sizeof *rig); /* large */
    if (!rig) {
        free(path);
        jni_oom(env, "the rig");
        return NULL;
    }
    jobject out = NULL;
    mumloc_status st = mumloc_rig_load(path, rig);
    free(path);
    if (!jni_check(env, st) && rig->psf == MUMLOC_PSF_SPLINE) {
        spline_set set;
        psf_model model;
        if (!jni_check(env, rig_psf_model(rig, &set, &model))) {
            out = sections(env, cls, &model);
            spline_set_free(&set);
        }
    }
    free(rig);
    return out;
}
