package org.mumloc;

/** Mirror of {@code mumloc_camera}; defaults from {@link #defaults()}. */
public final class Camera {
    public double backgroundPhotons;
    public double readNoiseE;
    public double emGain;
    public double aduPerElectron;
    public double offsetAdu;

    public static Camera defaults() {
        Mumloc.load();
        Camera c = new Camera();
        nDefaults(c);
        return c;
    }

    public void validate() {
        Mumloc.load();
        nValidate(this);
    }

    public Camera copy() {
        Camera c = new Camera();
        c.backgroundPhotons = backgroundPhotons;
        c.readNoiseE = readNoiseE;
        c.emGain = emGain;
        c.aduPerElectron = aduPerElectron;
        c.offsetAdu = offsetAdu;
        return c;
    }

    // The natives (native/src/jni/Camera.c) read and write the fields above by name.
    private static native void nDefaults(Camera out);
    private static native void nValidate(Camera camera);
}
