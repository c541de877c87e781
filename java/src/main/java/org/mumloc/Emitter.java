package org.mumloc;

/** One molecule of the ground truth ({@code mumloc_emitter}). */
public final class Emitter {
    /** 0-based frame index. */
    public final long frame;
    public final double xNm;
    public final double yNm;
    public final double zNm;
    /** The weight c. */
    public final double weight;
    /** Expected photons summed over all planes. */
    public final double photons;

    /** One molecule (the library builds the ground truth without this constructor, by field name). */
    public Emitter(long frame, double xNm, double yNm, double zNm, double weight, double photons) {
        this.frame = frame;
        this.xNm = xNm;
        this.yNm = yNm;
        this.zNm = zNm;
        this.weight = weight;
        this.photons = photons;
    }

    @Override
    public String toString() {
        return "Emitter[frame=" + frame + ", x=" + xNm + ", y=" + yNm + ", z=" + zNm + ", c=" + weight
                + ", photons=" + photons + "]";
    }
}
