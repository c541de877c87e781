package org.mumloc;

/** Mirror of {@code mumloc_camera}; defaults from {@link #defaults()}. */
public final class Camera {
    public double backgroundPhotons;
    public double readNoiseE;
    public double emGain;
    public double aduPerElectron;
    public double offsetAdu;

    public static Camera defaults() {
        Camera c = new Camera();
        Mumloc.cameraDefault(c);
        return c;
    }

    public void validate() {
        Mumloc.cameraValidate(this);
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
}
