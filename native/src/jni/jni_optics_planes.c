/* The per-plane part of org.mumloc.Optics (perPlane and one double[] per mumloc_plane_psf member)
 * to and from mumloc_optics; the rules of mumloc_jni.c hold. */
#include <stddef.h>

#include "jni/jni_common.h"

typedef struct plane_array {
    const char *java;  /* the Optics field, double[MAX_PLANES] */
    size_t offset;     /* of the double in mumloc_plane_psf */
} plane_array;

static const plane_array plane_arrays[] = {
    {"planeW0Nm", offsetof(mumloc_plane_psf, w0_nm)},
    {"planeDNm", offsetof(mumloc_plane_psf, d_nm)},
    {"planeA", offsetof(mumloc_plane_psf, A)},
    {"planeB", offsetof(mumloc_plane_psf, B)},
    {"planeTransmission", offsetof(mumloc_plane_psf, transmission)},
};
enum { PLANE_ARRAYS = sizeof plane_arrays / sizeof plane_arrays[0] };

int mumloc_jni_plane_psf_from_java(JNIEnv *env, jobject jo, mumloc_optics *o) {
    if (mumloc_jni_get_flag(env, jo, "perPlane", &o->per_plane)) return -1;
    for (int a = 0; a < PLANE_ARRAYS; a++) {
        jfieldID id = mumloc_jni_field(env, jo, plane_arrays[a].java, "[D");
        if (!id) return -1;
        jdoubleArray values = (jdoubleArray)(*env)->GetObjectField(env, jo, id);
        if (!values) {
            if (!o->per_plane) continue; /* unused by the papers' optics */
            mumloc_jni_invalid(env, "optics.%s is null but perPlane is true", plane_arrays[a].java);
            return -1;
        }
        jsize n = (*env)->GetArrayLength(env, values);
        if (o->per_plane && o->planes >= 1 && o->planes <= MUMLOC_MAX_PLANES && n < o->planes) {
            (*env)->DeleteLocalRef(env, values);
            mumloc_jni_invalid(env, "optics.%s holds %d values but planes is %d",
                               plane_arrays[a].java, (int)n, o->planes);
            return -1;
        }
        if (n > MUMLOC_MAX_PLANES) n = MUMLOC_MAX_PLANES;
        double v[MUMLOC_MAX_PLANES];
        (*env)->GetDoubleArrayRegion(env, values, 0, n, v);
        (*env)->DeleteLocalRef(env, values);
        for (jsize d = 0; d < n; d++) *(double *)((char *)&o->plane_psf[d] + plane_arrays[a].offset) = v[d];
    }
    return 0;
}

int mumloc_jni_plane_psf_to_java(JNIEnv *env, const mumloc_optics *o, jobject jo) {
    jfieldID flag = mumloc_jni_field(env, jo, "perPlane", "Z");
    if (!flag) return -1;
    (*env)->SetBooleanField(env, jo, flag, o->per_plane ? JNI_TRUE : JNI_FALSE);
    for (int a = 0; a < PLANE_ARRAYS; a++) {
        double v[MUMLOC_MAX_PLANES];
        for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
            v[d] = *(const double *)((const char *)&o->plane_psf[d] + plane_arrays[a].offset);
        jdoubleArray values = (*env)->NewDoubleArray(env, MUMLOC_MAX_PLANES);
        if (!values) return -1;
        (*env)->SetDoubleArrayRegion(env, values, 0, MUMLOC_MAX_PLANES, v);
        jfieldID id = mumloc_jni_field(env, jo, plane_arrays[a].java, "[D");
        if (!id) return -1;
        (*env)->SetObjectField(env, jo, id, values);
        (*env)->DeleteLocalRef(env, values);
    }
    return 0;
}
