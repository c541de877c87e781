package org.mumloc;

/**
 * A streaming localizer ({@code mumloc_localizer_create/push/take}): frames are pushed batch by batch
 * (an ImageJ stack, virtual ones included) and every localization found is gathered, in push order,
 * into one library table with ThunderSTORM's columns ({@code mumloc_localizations_to_table}). Memory
 * holds one batch plus the table. The model must stay open while the localizer is used.
 */
public final class Localizer implements AutoCloseable {
    private long handle;
    private final int planes;
    private final int width;
    private final int height;

    /** No refinement: the network's positions as decoded (the default, the fastest). */
    public static final String REFINE_NONE = "none";
    /** Maximum-likelihood refinement of each position, without drift. */
    public static final String REFINE_POSITIONS = "positions";
    /**
     * Maximum-likelihood refinement of each frame's positions jointly with the lateral drift of planes
     * 2..k against plane 1 (most accurate, slowest); {@link #drift()} then holds the drift per frame.
     */
    public static final String REFINE_DRIFT = "drift";
    /** The refinement choices, in the order a dialog should offer them (the library's names). */
    public static String[] refineNames() {
        return Mumloc.enumNames("refine");
    }

    /** The network's arithmetic: the library's measured choice for the device (the default). */
    public static final String PRECISION_AUTO = "auto";
    /** Single precision throughout. */
    public static final String PRECISION_FP32 = "fp32";
    /** bfloat16 inputs and weights, fp32 sums: faster on CPUs with AVX512_BF16; refused on others. */
    public static final String PRECISION_BF16 = "bf16";
    /** The precision choices, in the order a dialog should offer them (the library's names). */
    public static String[] precisionNames() {
        return Mumloc.enumNames("precision");
    }

    /**
     * What to localize with ({@code mumloc_localize_options}; the natives read these fields by name),
     * the library's defaults when made. Strings are the library's names; null keeps the default.
     */
    public static final class Options {
        /** Offset (ADU), gain (ADU per electron), EM gain and read noise (electrons) of the movie. */
        public Camera camera = new Camera();
        /** 0 = the model's. */
        public double threshold;
        /** 0 = keep the current setting. */
        public int threads;
        /** "auto", "cpu" or "cuda[:N]": where the network runs, as the library resolves it. */
        public String device;
        /** One of {@link #refineNames()}. */
        public String refine;
        /** One of {@link #precisionNames()}. */
        public String precision;
        /** Compressed sensing: the optics (required), lambda (0 = automatic), frames sharing one drift
         * estimate, count (0 = unknown; K = the K brightest per frame and region), least photons. */
        public Optics optics;
        public double csLambda;
        public int csFrames;
        public int csKnownCount;
        public double csMinPhotons;
        /** Refine "drift": 1 = each frame's own drift; N &ge; 2 = the drift as a smooth function of time
         * (a cubic spline with a span every N frames) from every molecule pushed; the localizations and
         * the drift then come at {@link #table()} / {@link #drift()}, after the last push. */
        public int driftWindow;

        /** The library's defaults. */
        public Options() {
            Mumloc.load();
            nDefaults(this);
        }

        static Options of(double offsetAdu, double aduPerElectron, double emGain, double readNoiseE, int threads,
                String refine) {
            Options o = new Options();
            o.camera.offsetAdu = offsetAdu;
            o.camera.aduPerElectron = aduPerElectron;
            o.camera.emGain = emGain;
            o.camera.readNoiseE = readNoiseE;
            o.threads = threads;
            o.refine = refine;
            return o;
        }
    }

    /**
     * camera: offset (ADU), gain (ADU per electron), EM gain, read noise (electrons); threshold 0 =
     * the model's; threads 0 = keep the current setting; device "auto", "cpu" or "cuda[:N]" (where the
     * network runs, as the library resolves it).
     */
    public Localizer(Model model, double offsetAdu, double aduPerElectron, double emGain, double readNoiseE,
            double threshold, int threads, String device, int width, int height) {
        this(model, offsetAdu, aduPerElectron, emGain, readNoiseE, threshold, threads, device, REFINE_NONE,
                width, height);
    }

    /**
     * As above, with refine one of {@link #refineNames()} ("none", "positions", "drift";
     * {@code mumloc_localize_options.refine}); anything else throws MumlocException naming the choices.
     */
    public Localizer(Model model, double offsetAdu, double aduPerElectron, double emGain, double readNoiseE,
            double threshold, int threads, String device, String refine, int width, int height) {
        this(model, offsetAdu, aduPerElectron, emGain, readNoiseE, threshold, threads, device, refine,
                PRECISION_AUTO, width, height);
    }

    /**
     * As above, with precision one of {@link #precisionNames()}; "bf16" where the CPU lacks it throws
     * MumlocException saying what is missing.
     */
    public Localizer(Model model, double offsetAdu, double aduPerElectron, double emGain, double readNoiseE,
            double threshold, int threads, String device, String refine, String precision, int width, int height) {
        this(model, options(offsetAdu, aduPerElectron, emGain, readNoiseE, threshold, threads, device, refine,
                precision), width, height);
    }

    /** As above, with refine "drift" estimated over windows of driftWindow frames ({@link Options#driftWindow}). */
    public Localizer(Model model, double offsetAdu, double aduPerElectron, double emGain, double readNoiseE,
            double threshold, int threads, String device, String refine, String precision, int driftWindow,
            int width, int height) {
        this(model, withDriftWindow(options(offsetAdu, aduPerElectron, emGain, readNoiseE, threshold, threads,
                device, refine, precision), driftWindow), width, height);
    }

    private static Options withDriftWindow(Options o, int driftWindow) {
        o.driftWindow = driftWindow;
        return o;
    }

    private static Options options(double offsetAdu, double aduPerElectron, double emGain, double readNoiseE,
            double threshold, int threads, String device, String refine, String precision) {
        Options o = Options.of(offsetAdu, aduPerElectron, emGain, readNoiseE, threads, refine);
        o.threshold = threshold;
        o.device = device;
        o.precision = precision;
        return o;
    }

    /** The network localizer of model with these options, for frames of width × height. */
    public Localizer(Model model, Options options, int width, int height) {
        Mumloc.load();
        this.planes = model.planes();
        this.width = width;
        this.height = height;
        this.handle = nCreate(model, options, width, height);
    }

    private Localizer(Optics optics, Options options, int width, int height) {
        Mumloc.load();
        this.planes = optics.planes;
        this.width = width;
        this.height = height;
        this.handle = nCreate(null, options, width, height);
    }

    /**
     * The compressed-sensing localizer ({@code mumloc_localize_options.method} CS; no model): the
     * optics, camera as above, lambda (0 = automatic), frames
     * sharing one drift estimate, count (0 = unknown; K = the K brightest per frame and region), least
     * photons of a localization, refine as above. Bad values throw MumlocException naming them.
     */
    public static Localizer compressedSensing(Optics optics, double offsetAdu, double aduPerElectron,
            double emGain, double readNoiseE, int threads, String refine, double lambda, int frames, int count,
            double minPhotons, int width, int height) {
        Options o = Options.of(offsetAdu, aduPerElectron, emGain, readNoiseE, threads, refine);
        o.optics = optics;
        o.csLambda = lambda;
        o.csFrames = frames;
        o.csKnownCount = count;
        o.csMinPhotons = minPhotons;
        return new Localizer(optics, o, width, height);
    }

    private long handle() {
        if (handle == 0) throw new IllegalStateException("the localizer is closed");
        return handle;
    }

    /** Floats of one frame: planes · height · width. */
    public long frameSize() {
        return (long) planes * width * height;
    }

    /**
     * Localizes count frames (frame, plane, row, column camera values) numbered from firstFrame
     * (0-based); returns how many localizations they gave.
     */
    public synchronized long push(float[] frames, int count, long firstFrame) {
        return nPush(handle(), frames, count, firstFrame);
    }

    /**
     * Everything found so far ("id", "frame", "x [nm]", ...; the columns even when empty); with a drift
     * window it first estimates the drift over every frame pushed and refines their localizations.
     */
    public synchronized Table table() {
        return nTable(handle());
    }

    /**
     * The drift estimated so far with refine "drift", one row per frame and plane: "frame", "plane"
     * (1-based), "dx [nm]", "dy [nm]" (0 where not estimated), "uncertainty_dx [nm]", "uncertainty_dy [nm]"
     * (Cramér–Rao bounds; Infinity where not estimated), "molecules" (how many informed it). Other
     * refinements: the columns and no rows.
     */
    public synchronized Table drift() {
        return nDrift(handle());
    }

    /**
     * Localizes a rig's raw movie with the library's own reader ({@code mumloc_localize_files} with
     * {@code options.rig}): paths is one file, or one per camera when the layout is "files"; layout
     * null = the rig file's ("hyperstack", "files", "tiles2x2", "tiles1x4", "tiles4x1"). Each camera
     * is converted with its own offset and gains, resampled onto camera 1's grid for the network, and
     * fitted on its raw frames through the rig's exact affine. Writes the table to csv (with its
     * sidecar) and the drift to driftCsv (refine "drift"; null: none); first is 0-based from the rig
     * movie's first common frame, count 0 = to the end. Returns the rows written.
     */
    public static long localizeRig(Model model, String rigPath, String layout, String[] paths, String csv,
            double threshold, String refine, int threads, String device, long first, long count, String driftCsv,
            ProgressListener listener) {
        Mumloc.load();
        Options o = Options.of(0, 1, 1, 3, threads, refine); // each camera's model is the rig file's
        o.threshold = threshold;
        o.device = device;
        return nLocalizeRig(model, rigPath, layout, paths, csv, o, first, count, driftCsv, listener);
    }

    @Override
    public synchronized void close() {
        if (handle != 0) nDestroy(handle);
        handle = 0;
    }

    // native/src/jni/Localizer.c: Options are read by field name; a null model means compressed sensing.
    private static native void nDefaults(Options out);
    private static native long nCreate(Model model, Options options, int width, int height);
    private static native Table nDrift(long handle);
    private static native long nLocalizeRig(Model model, String rig, String layout, String[] paths, String csv,
            Options options, long first, long count, String drift, ProgressListener listener);
    private static native void nDestroy(long handle);
    private static native long nPush(long handle, float[] frames, int count, long firstFrame);
    private static native Table nTable(long handle);
}
