/* org.mumloc.PsfSections: a rig file's measured PSF beside its Gaussian model as section images
 * (optics/psf_sections.h), one per plane, for "MUMLoc Calibrate". One JNI source file for its one Java
 * class; the result's fields are set by name. Every failure is a MumlocException. */
#include <stdlib.h>

#include "jni/jni_common.h"
#include "optics/psf_sections.h"
#include "rig/rig_psf.h"

JNIEXPORT jobject JNICALL Java_org_mumloc_PsfSections_nOfRig(JNIEnv *env, jclass cls, jstring jpath);

static int set_int(JNIEnv *env, jobject o, const char *name, int v) {
    jfieldID f = mumloc_jni_field(env, o, name, "I");
    if (f) (*env)->SetIntField(env, o, f, v);
    return f == NULL;
}

static int set_double(JNIEnv *env, jobject o, const char *name, double v) {
    jfieldID f = mumloc_jni_field(env, o, name, "D");
    if (f) (*env)->SetDoubleField(env, o, f, v);
    return f == NULL;
}

/* The sections of every plane in one new PsfSections, or NULL for a rig with the Gaussian model. */
static jobject sections(JNIEnv *env, jclass cls, const mumloc_psf_model *m) {
    const int k = m->optics->planes;
    mumloc_psf_sections_grid g;
    mumloc_psf_sections_grid_of(m, 0, &g);
    for (int d = 1; d < k; d++) { /* planes may differ in grid: the first plane's shape for all */
        mumloc_psf_sections_grid gd;
        mumloc_psf_sections_grid_of(m, d, &gd);
        if (gd.width != g.width || gd.height != g.height) {
            mumloc_jni_invalid(env, "the rig's spline planes have different grids (plane %d); "
                               "recalibrate with --psf spline", d + 1);
            return NULL;
        }
    }
    const size_t area = (size_t)g.width * g.height;
    float *pixels = malloc(area * k * sizeof *pixels);
    if (!pixels) {
        mumloc_jni_oom(env, "the PSF sections");
        return NULL;
    }
    jobject out = NULL;
    mumloc_status st = MUMLOC_OK;
    for (int d = 0; d < k && st == MUMLOC_OK; d++) {
        mumloc_psf_sections_grid gd;
        mumloc_psf_sections_grid_of(m, d, &gd);
        st = mumloc_psf_sections(m, d, &gd, pixels + d * area);
    }
    if (!mumloc_jni_check(env, st)) {
        jfloatArray array = (*env)->NewFloatArray(env, (jsize)(area * k));
        out = array ? (*env)->AllocObject(env, cls) : NULL;
        if (out) {
            (*env)->SetFloatArrayRegion(env, array, 0, (jsize)(area * k), pixels);
            jfieldID f = mumloc_jni_field(env, out, "pixels", "[F");
            if (!f || set_int(env, out, "planes", k) || set_int(env, out, "width", g.width) ||
                set_int(env, out, "depths", g.height) || set_int(env, out, "lateral", g.lateral) ||
                set_double(env, out, "lateralStepNm", g.lateral_step_nm) ||
                set_double(env, out, "z0Nm", g.z0_nm) || set_double(env, out, "zStepNm", g.z_step_nm))
                out = NULL;
            else
                (*env)->SetObjectField(env, out, f, array);
        }
    }
    free(pixels);
    return out;
}

JNIEXPORT jobject JNICALL Java_org_mumloc_PsfSections_nOfRig(JNIEnv *env, jclass cls, jstring jpath) {
    char *path = mumloc_jni_required_utf8(env, jpath, "the rig file");
    if (!path) return NULL;
    mumloc_rig *rig = malloc(sizeof *rig); /* large */
    if (!rig) {
        free(path);
        mumloc_jni_oom(env, "the rig");
        return NULL;
    }
    jobject out = NULL;
    mumloc_status st = mumloc_rig_load(path, rig);
    free(path);
    if (!mumloc_jni_check(env, st) && rig->psf == MUMLOC_PSF_SPLINE) {
        mumloc_spline_set set;
        mumloc_psf_model model;
        if (!mumloc_jni_check(env, mumloc_rig_psf_model(rig, &set, &model))) {
            out = sections(env, cls, &model);
            mumloc_spline_set_free(&set);
        }
    }
    free(rig);
    return out;
}
