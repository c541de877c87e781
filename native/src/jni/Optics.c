/* org.mumloc.Optics, the mirror of mumloc_optics: defaults, validation, files, the record a movie
 * keeps, the PSF width. The per-plane curves cross as one double[] per mumloc_plane_psf member. */
#include <stdlib.h>
#include <string.h>

#include "jni/jni_common.h"

#define F(name, sig, member) {name, sig, offsetof(mumloc_optics, member)}
enum { DEPTHS, W0S, DS, AS, BS, TRANSMISSIONS }; /* the arrays, first in the table */
static const jni_field optics_fields[] = {
    {"planeDepthNm", "[D", 0}, {"planeW0Nm", "[D", offsetof(mumloc_plane_psf, w0_nm)},
    {"planeDNm", "[D", offsetof(mumloc_plane_psf, d_nm)}, {"planeA", "[D", offsetof(mumloc_plane_psf, A)},
    {"planeB", "[D", offsetof(mumloc_plane_psf, B)},
    {"planeTransmission", "[D", offsetof(mumloc_plane_psf, transmission)},
    F("planes", "I", planes), F("pixelNm", "D", pixel_nm), F("psfAmplitude", "D", psf_amplitude),
    F("psfW0Nm", "D", psf_w0_nm), F("psfDNm", "D", psf_d_nm), F("psfA", "D", psf_A),
    F("psfB", "D", psf_B), F("perPlane", "Z", per_plane),
};
#undef F
static jni_mirror optics_mirror = JNI_MIRROR("the optics", optics_fields);

/* Array field a of jo into v[MAX_PLANES] (missing values stay); 1 = the array was null. -1 on failure. */
static int read_array(JNIEnv *env, jobject jo, int a, int planes, double *v) {
    jdoubleArray values = (jdoubleArray)(*env)->GetObjectField(env, jo, jni_id(&optics_mirror, a));
    if (!values) return 1;
    jsize n = (*env)->GetArrayLength(env, values);
    if (planes >= 1 && planes <= MUMLOC_MAX_PLANES && n < planes) {
        (*env)->DeleteLocalRef(env, values);
        jni_invalid(env, "optics.%s holds %d values but planes is %d", optics_fields[a].name, (int)n,
                           planes);
        return -1;
    }
    if (n > MUMLOC_MAX_PLANES) n = MUMLOC_MAX_PLANES;
    (*env)->GetDoubleArrayRegion(env, values, 0, n, v);
    (*env)->DeleteLocalRef(env, values);
    return 0;
}

int jni_optics_from_java(JNIEnv *env, jobject jo, mumloc_optics *o) {
    memset(o, 0, sizeof *o);
    if (jni_mirror_read(env, &optics_mirror, jo, o)) return -1;
    int r = read_array(env, jo, DEPTHS, o->planes, o->plane_depth_nm);
    if (r) {
        if (r > 0) jni_invalid(env, "optics.planeDepthNm is null");
        return -1;
    }
    for (int a = W0S; a <= TRANSMISSIONS; a++) {
        double v[MUMLOC_MAX_PLANES] = {0};
        r = read_array(env, jo, a, o->per_plane ? o->planes : 0, v);
        if (r < 0) return -1;
        if (r > 0) {
            if (!o->per_plane) continue; /* unused by the papers' optics */
            jni_invalid(env, "optics.%s is null but perPlane is true", optics_fields[a].name);
            return -1;
        }
        for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
            *(double *)((char *)&o->plane_psf[d] + optics_fields[a].offset) = v[d];
    }
    return 0;
}

int jni_optics_to_java(JNIEnv *env, const mumloc_optics *o, jobject jo) {
    if (jni_mirror_write(env, &optics_mirror, o, jo)) return -1;
    for (int a = DEPTHS; a <= TRANSMISSIONS; a++) {
        double v[MUMLOC_MAX_PLANES];
        for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
            v[d] = a == DEPTHS ? o->plane_depth_nm[d]
                               : *(const double *)((const char *)&o->plane_psf[d] + optics_fields[a].offset);
        jdoubleArray values = jni_doubles(env, v, MUMLOC_MAX_PLANES);
        if (!values) return -1;
        jni_mirror_set_object(env, &optics_mirror, jo, a, values);
        (*env)->DeleteLocalRef(env, values);
    }
    return 0;
}

JNI_METHOD(Optics, void, nDefaults, JNIEnv *env, jclass cls, jobject out) {
    (void)cls;
    mumloc_optics o;
    mumloc_optics_default(&o);
    jni_optics_to_java(env, &o, out);
}

JNI_METHOD(Optics, void, nValidate, JNIEnv *env, jclass cls, jobject jo) {
    (void)cls;
    mumloc_optics o;
    if (jni_optics_from_java(env, jo, &o)) return;
    jni_check(env, mumloc_optics_validate(&o));
}

/* The optics a movie's description records (mumloc_optics_from_description) into out; false when
 * it records none. */
JNI_METHOD(Optics, jboolean, nRecorded, JNIEnv *env, jclass cls, jstring jdescription, jobject out) {
    (void)cls;
    int failed = 0, found = 0;
    char *description = jni_utf8(env, jdescription, "the description", &failed);
    if (failed) return JNI_FALSE;
    mumloc_optics o;
    mumloc_status st = mumloc_optics_from_description(description, &found, &o);
    free(description);
    if (jni_check(env, st) || !found) return JNI_FALSE;
    return jni_optics_to_java(env, &o, out) ? JNI_FALSE : JNI_TRUE;
}

JNI_METHOD(Optics, void, nLoad, JNIEnv *env, jclass cls, jstring jpath, jobject out) {
    (void)cls;
    char *path = jni_required_utf8(env, jpath, "the optics file path");
    if (!path) return;
    mumloc_optics o;
    mumloc_optics_default(&o);
    mumloc_status st = mumloc_optics_load(path, &o);
    free(path);
    if (!jni_check(env, st)) jni_optics_to_java(env, &o, out);
}

JNI_METHOD(Optics, void, nSave, JNIEnv *env, jclass cls, jstring jpath, jobject jo) {
    (void)cls;
    mumloc_optics o;
    if (jni_optics_from_java(env, jo, &o)) return;
    char *path = jni_required_utf8(env, jpath, "the optics file path");
    if (!path) return;
    jni_check(env, mumloc_optics_save(path, &o));
    free(path);
}

JNI_METHOD(Optics, jdouble, nPsfWidthNm, JNIEnv *env, jclass cls, jobject jo, jdouble dz) {
    (void)cls;
    mumloc_optics o;
    if (jni_optics_from_java(env, jo, &o)) return 0;
    if (jni_check(env, mumloc_optics_validate(&o))) return 0;
    return mumloc_psf_width_nm(&o, dz);
}
