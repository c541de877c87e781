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
        public double backgroundPhotons = 10, readNoiseE = 3, emGain = 1, aduPerElectron = 1, offsetAdu = 0;
        public int width = 64, height = 64;
        public int molecules = 50;
        public double densityPerUm2;         // > 0 replaces molecules
        public long steps = 1000;
        public int batch = 50;
        public double lr = 1e-3;
        public long seed = 1;
        public int validationFrames = 500;
        public long validationInterval;      // 0: at the end
        public int threads;                  // 0: keep the setting
        public String device = "auto";       // auto, cpu, cuda[:N]
        public String out;                   // the model file (required)
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
        int r = nTrain(o.arch, o.opticsPath,
                new double[] {o.backgroundPhotons, o.readNoiseE, o.emGain, o.aduPerElectron, o.offsetAdu}, o.width,
                o.height, o.molecules, o.densityPerUm2, o.steps, o.batch, o.lr, o.seed, o.validationFrames,
                o.validationInterval, o.threads, o.device, o.out, listener);
        return r == 0;
    }

    private static native int nTrain(String arch, String opticsPath, double[] camera, int width, int height,
            int molecules, double density, long steps, int batch, double lr, long seed, int validationFrames,
            long validationInterval, int threads, String device, String out, Listener listener);
}
