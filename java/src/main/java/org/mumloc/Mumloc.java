package org.mumloc;

/**
 * The mumloc C API ({@code mumloc.h}) for Java: one static method per C function, loading the native
 * library on first use. Every failure of the library becomes a {@link MumlocException} carrying the
 * library's message; bad inputs (null arrays, short buffers, sizes beyond Java's int range) are rejected
 * the same way before any native work starts. Nothing here can take down the JVM.
 */
public final class Mumloc {
    private Mumloc() {
    }

    /** Loads the native library now (it is loaded on first use anyway). */
    public static void load() {
        NativeLoader.load();
    }

    // ---- status, version, threads ---------------------------------------------------------------

    /** The library version, "MAJOR.MINOR.PATCH". */
    public static String version() {
        load();
        return nVersion();
    }

    /** The library's short name of a status code, e.g. "invalid argument". */
    public static String statusString(int status) {
        load();
        return nStatusString(status);
    }

    /** Threads used by the library's parallel parts (0 = all cores). */
    public static void setThreads(int threads) {
        load();
        nSetThreads(threads);
    }

    public static int getThreads() {
        load();
        return nGetThreads();
    }

    /** How the library's idle threads wait: "passive" (they sleep, so other work on the machine,
     * Fiji's own threads included, keeps its cores) unless OMP_WAIT_POLICY chose otherwise. */
    public static String ompWaitPolicy() {
        load();
        return nOmpWaitPolicy();
    }

    // ---- optics and camera ----------------------------------------------------------------------

    public static void opticsDefault(Optics out) {
        load();
        nOpticsDefault(out);
    }

    public static void opticsValidate(Optics optics) {
        load();
        nOpticsValidate(optics);
    }

    /** The optics a movie's description records (mumloc's "mumloc={...}" record), or null. */
    public static Optics opticsRecorded(String description) {
        load();
        Optics out = new Optics();
        return nOpticsRecorded(description, out) ? out : null;
    }

    public static void opticsLoad(String path, Optics out) {
        load();
        nOpticsLoad(path, out);
    }

    public static void opticsSave(String path, Optics optics) {
        load();
        nOpticsSave(path, optics);
    }

    /** PSF standard deviation w(dz) in nm. */
    public static double psfWidthNm(Optics optics, double dzNm) {
        load();
        return nPsfWidthNm(optics, dzNm);
    }

    public static void cameraDefault(Camera out) {
        load();
        nCameraDefault(out);
    }

    public static void cameraValidate(Camera camera) {
        load();
        nCameraValidate(camera);
    }

    // ---- simulation parameters ------------------------------------------------------------------

    public static void simParamsDefault(SimParams out) {
        load();
        nSimParamsDefault(out);
    }

    public static void simParamsValidate(SimParams params) {
        load();
        nSimParamsValidate(params);
    }

    public static String simParamsToJson(SimParams params) {
        load();
        return nSimParamsToJson(params);
    }

    // ---- simulator ------------------------------------------------------------------------------

    /** Creates a simulator; prefer {@link Simulator}, which closes it. Returns an opaque handle. */
    public static long simulatorCreate(SimParams params) {
        load();
        return nSimulatorCreate(params);
    }

    public static void simulatorDestroy(long handle) {
        load();
        nSimulatorDestroy(handle);
    }

    public static void simulatorParams(long handle, SimParams out) {
        load();
        nSimulatorParams(handle, out);
    }

    public static int simulatorMaxEmitters(long handle) {
        load();
        return nSimulatorMaxEmitters(handle);
    }

    /** Ground truth of one frame (0-based). */
    public static Emitter[] simulateTruth(long handle, long frame) {
        load();
        return nSimulateTruth(handle, frame);
    }

    /** Drift of every plane of one frame: dx, dy of plane d at [2d], [2d + 1] (plane 0 is 0, 0). */
    public static double[] simulateDrift(long handle, long frame) {
        load();
        return nSimulateDrift(handle, frame);
    }

    /**
     * Simulates frames [first, first + count) into out[offset ...]: count · planes · height · width
     * floats, frame-major, then plane, row, column.
     */
    public static void simulateFrames(long handle, long first, long count, float[] out, int offset) {
        load();
        nSimulateFrames(handle, first, count, out, offset);
    }

    /**
     * Simulates the whole movie to files (the CLI's code path): a TIFF hyperstack, and optionally the
     * ground truth and drift CSVs (null to skip). On failure or cancellation no file is left behind.
     */
    public static void simulateToFiles(SimParams params, String moviePath, String truthPath,
            String driftPath, ProgressListener progress) {
        load();
        nSimulateToFiles(params, moviePath,
                truthPath, driftPath, progress);
    }

    // ---- numbers --------------------------------------------------------------------------------

    /** Formats a number as mumloc's CSV files do (plain decimal, at most 9 significant digits). */
    public static String formatNumber(double value) {
        load();
        return nFormatNumber(value);
    }

    // ---- names ----------------------------------------------------------------------------------

    /**
     * The library's names of one of its enums, indexed by value: "noise", "sample", "plane_axis",
     * "render_method", "refine", "arch", "colormap", "drift_method", "precision". The CLI's choices are the same
     * words, so a macro option means what the command line means.
     */
    public static String[] enumNames(String which) {
        load();
        return nEnumNames(which);
    }

    // ---- the native methods (native/src/jni/mumloc_jni.c) ---------------------------------------

    private static native String nVersion();
    private static native String nStatusString(int status);
    private static native void nSetThreads(int threads);
    private static native int nGetThreads();
    private static native String nOmpWaitPolicy();
    private static native void nOpticsDefault(Optics out);
    private static native void nOpticsValidate(Optics optics);
    private static native void nOpticsLoad(String path, Optics out);
    private static native boolean nOpticsRecorded(String description, Optics out);
    private static native void nOpticsSave(String path, Optics optics);
    private static native double nPsfWidthNm(Optics optics, double dzNm);
    private static native void nCameraDefault(Camera out);
    private static native void nCameraValidate(Camera camera);
    private static native void nSimParamsDefault(SimParams out);
    private static native void nSimParamsValidate(SimParams params);
    private static native String nSimParamsToJson(SimParams params);
    private static native long nSimulatorCreate(SimParams params);
    private static native void nSimulatorDestroy(long handle);
    private static native void nSimulatorParams(long handle, SimParams out);
    private static native int nSimulatorMaxEmitters(long handle);
    private static native Emitter[] nSimulateTruth(long handle, long frame);
    private static native double[] nSimulateDrift(long handle, long frame);
    private static native void nSimulateFrames(long handle, long first, long count, float[] out, int offset);
    private static native void nSimulateToFiles(SimParams params, String moviePath, String truthPath,
            String driftPath, ProgressListener progress);
    private static native String nFormatNumber(double value);
    private static native String[] nEnumNames(String which);
}
