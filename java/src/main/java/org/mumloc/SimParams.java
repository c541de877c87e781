package org.mumloc;

/**
 * Mirror of {@code mumloc_sim_params}: every simulation parameter, field names as in the C struct.
 * Start from {@link #defaults()} (the library's defaults) and change what you need; the library
 * validates ({@link #validate()}) and names the bad option in its message.
 */
public final class SimParams {
    /** {@code mumloc_noise} values. */
    public static final int NOISE_PHYSICAL = 0;
    public static final int NOISE_NONE = 1;
    /** Names of the noise models, indexed by value (the library's words, as the CLI spells them). */
    public static String[] noiseNames() {
        return Mumloc.enumNames("noise");
    }

    /** {@code mumloc_sample} values. */
    public static final int SAMPLE_UNIFORM = 0;
    public static final int SAMPLE_HELIX = 1;
    public static final int SAMPLE_FILAMENTS = 2;
    /** Names of the samples, indexed by value (the library's words, as the CLI spells them). */
    public static String[] sampleNames() {
        return Mumloc.enumNames("sample");
    }

    public Optics optics = new Optics();
    public Camera camera = new Camera();
    public int noise;
    public int sample;
    public int width;
    public int height;
    public long frames;
    /** An unsigned 64-bit seed (use {@link Long#parseUnsignedLong} / {@link Long#toUnsignedString}). */
    public long seed;
    public int molecules;
    public double densityPerUm2;
    public double weightMin;
    public double weightMax;
    public double zMinNm;
    public double zMaxNm;
    public double driftMaxNm;
    public double driftStepNm;
    public int filaments;
    /**
     * If {@code 0 < moleculesMin <= molecules}: each frame's count is drawn uniformly from
     * {@code moleculesMin..molecules} (sparse and dense frames in one movie or training run);
     * 0 = always {@code molecules}.
     */
    public int moleculesMin;
    /**
     * Sample (stage) drift: a smooth random 3D path, at most this far from frame 1 per axis (z: half);
     * the camera sees it, the truth does not. 0 = none.
     */
    public double stageDriftNm;

    /** The library's defaults ({@code mumloc_sim_params_default}). */
    public static SimParams defaults() {
        Mumloc.load();
        SimParams p = new SimParams();
        nDefaults(p);
        return p;
    }

    /** Throws a {@link MumlocException} naming the first bad option. */
    public void validate() {
        Mumloc.load();
        nValidate(this);
    }

    /** The parameters as one line of JSON, as recorded in the movie's description. */
    public String toJson() {
        Mumloc.load();
        return nToJson(this);
    }

    public SimParams copy() {
        SimParams p = new SimParams();
        p.optics = optics == null ? null : optics.copy();
        p.camera = camera == null ? null : camera.copy();
        p.noise = noise;
        p.sample = sample;
        p.width = width;
        p.height = height;
        p.frames = frames;
        p.seed = seed;
        p.molecules = molecules;
        p.densityPerUm2 = densityPerUm2;
        p.weightMin = weightMin;
        p.weightMax = weightMax;
        p.zMinNm = zMinNm;
        p.zMaxNm = zMaxNm;
        p.driftMaxNm = driftMaxNm;
        p.driftStepNm = driftStepNm;
        p.filaments = filaments;
        p.moleculesMin = moleculesMin;
        p.stageDriftNm = stageDriftNm;
        return p;
    }

    // The natives (native/src/jni/SimParams.c) read and write the fields above by name.
    private static native void nDefaults(SimParams out);
    private static native void nValidate(SimParams params);
    private static native String nToJson(SimParams params);
}
