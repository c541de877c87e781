package org.mumloc;

/**
 * Training on frames simulated on the fly ({@code mumloc_train}): the options the Fiji command and
 * tests set, and a listener called after every step that can stop training (the model file is then
 * written all the same, so it is always a valid model).
 */
public final class Training {
    private Training() {
    }

    /** What to train (the library's regression defaults, but 1000 steps). */
    public static final class Options {
        public String arch = "regression";
        public String opticsPath;            // null: the default optics
        public String rigPath;               // null: none; else a rig file (mumloc calibrate): its
                                             // optics, each camera's noise, registered frames
        public Camera camera = Camera.defaults(); // of the simulated training frames
        public int width = 64, height = 64;
        public int molecules = 50;
        public int moleculesMin;             // > 0: each frame's count uniform in [moleculesMin, molecules]
        public double densityPerUm2;         // > 0 replaces molecules
        public long steps = 1000;            // > 0: steps; 0: epochs x framesPerEpoch / batch
        public int epochs;                   // 0: the architecture's (regression 20, voxel 30)
        public long framesPerEpoch;          // 0: the architecture's (regression 100000, voxel 90000)
        public int batch = 50;
        public double lr = 1e-3;
        public long seed = 1;
        public int validationFrames = 500;
        public boolean tuneThreshold;        // keep the threshold with the best final validation Jaccard
        public long validationInterval;      // 0: once per epoch (steps mode: at the end)
        public int threads;                  // 0: keep the setting
        public String device = "auto";       // auto, cpu, cuda[:N]
        public String out;                   // the model file (required)
        public String resumePath;            // null: start afresh; else continue this model file
    }

    /** The architectures' names, by value (the library's: regression, voxel). */
    public static String[] archNames() {
        return Mumloc.enumNames("arch");
    }

    /** Per-step progress; return true to stop. Validation fields are NaN when validated is false. */
    public interface Listener {
        boolean step(long step, long steps, double trainLoss, double lr, boolean validated, double valLoss,
                double valJaccard, double valRmseXyNm, double valRmseZNm, double seconds);
    }

    /**
     * Trains and writes options.out. Returns true when it ran to the end, false when the listener
     * stopped it (the model so far is in the file). Bad options throw {@link MumlocException} naming
     * the first bad one; an exception thrown by the listener stops training and comes out as it is.
     */
    public static boolean train(Options o, Listener listener) {
        Mumloc.load();
        return nTrainOptions(o, listener) == 0;
    }

    /** The fields of Options are read by name (native/src/jni/mumloc_jni_train_options.c). */
    private static native int nTrainOptions(Options options, Listener listener);
}
