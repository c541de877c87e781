package org.mumloc;

/**
 * Sections through a rig's measured PSF beside its Gaussian model (issue 13), for display: per plane
 * one image of four panels side by side with a one-sample gap — measured xz, Gaussian xz, measured yz,
 * Gaussian yz — each the pixel-integrated PSF (per photon in the plane) of a molecule moved along x
 * (or y) past a pixel centre, one row per depth (first row the shallowest). Filled by the library,
 * field by field (native/src/jni/PsfSections.c).
 */
public final class PsfSections {
    /** Planes, image width (4 · lateral + 3), rows (depths), samples per panel row. */
    public int planes, width, depths, lateral;
    /** Lateral sample spacing, first row's depth and the depth step, nm. */
    public double lateralStepNm, z0Nm, zStepNm;
    /** planes × depths × width floats, row-major, plane after plane. */
    public float[] pixels;

    private PsfSections() {}

    /** The sections of the rig file's measured PSF, or null when the rig uses the Gaussian model. */
    public static PsfSections ofRig(String rigPath) {
        Mumloc.load();
        return nOfRig(rigPath);
    }

    private static native PsfSections nOfRig(String rigPath);
}
