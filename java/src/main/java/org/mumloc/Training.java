package org.mumloc;

/**
 * Training on frames simulated on the fly ({@code mumloc_train}): the options the Fiji command and
 * tests set, and a listener called after every step that can stop training (the model file is then
 * written all the same, so it is always a valid model).
 */
public final class Training {
    private Training() {
    }

    /**
     * What to train: the library's defaults ({@code mumloc_train_options_default}, the regression
     * network's), but 1000 steps.
     */
    public static final class Options {
        public String arch;                  // regression, voxel
        public String opticsPath;            // null: the default optics
        public String rigPath;               // null: none; else a rig file (mumloc calibrate): its
                                             // optics, each camera's noise, registered frames
        public Camera camera = new Camera(); // of the simulated training frames
        public int width, height;
        public int molecules;
        public int moleculesMin;             // > 0: each frame's count uniform in [moleculesMin, molecules]
        public double densityPerUm2;         // > 0 replaces molecules
        public long steps;                   // > 0: steps; 0: epochs x framesPerEpoch / batch
        public int epochs;                   // 0: the architecture's (regression 20, voxel 30)
        public long framesPerEpoch;          // 0: the architecture's (regression 100000, voxel 90000)
        public int batch;
        public double lr;
        public long seed;
        public int validationFrames;
        public boolean tuneThreshold;        // keep the threshold with the best final validation Jaccard
        public long validationInterval;      // 0: once per epoch (steps mode: at the end)
        public int threads;                  // 0: keep the setting
        public String device;                // auto, cpu, cuda[:N]
        public String out;                   // the model file (required)
        public String resumePath;            // null: start afresh; else continue this model file

        /** The library's defaults, but {@link #FIJI_STEPS} steps. */
        public Options() {
            Mumloc.load();
            nDefaults(this);
            steps = FIJI_STEPS;
        }
    }

    /** Steps of a training started from Fiji unless set: minutes, not the papers' hours. */
    public static final long FIJI_STEPS = 1000;

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
        return nTrain(o, listener) == 0;
    }

    // native/src/jni/Training.c: the fields of Options are read and written by name.
    private static native void nDefaults(Options out);
    private static native int nTrain(Options options, Listener listener);
}
