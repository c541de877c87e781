package org.mumloc;

/**
 * The mumloc library as a whole ({@code mumloc.h}): loading, its version, its threads, and the names of
 * its enums. Everything else lives in the class it serves ({@link Optics}, {@link Simulator},
 * {@link Table}, ...), each with its own natives (native/src/jni/CLASS.c). Every failure of the library
 * becomes a {@link MumlocException} carrying the library's message; nothing here can take down the JVM.
 */
public final class Mumloc {
    private Mumloc() {
    }

    /** Loads the native library now (it is loaded on first use anyway). */
    public static void load() {
        NativeLoader.load();
    }

    /** The library version, "MAJOR.MINOR.PATCH". */
    public static String version() {
        load();
        return nVersion();
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

    /**
     * The library's names of one of its enums, indexed by value: "noise", "sample", "plane_axis",
     * "render_method", "refine", "arch", "colormap", "drift_method", "precision", "rig_layout",
     * "localize_method". The CLI's choices are the same words, so a macro option means what the command
     * line means.
     */
    public static String[] enumNames(String which) {
        load();
        return nEnumNames(which);
    }

    private static native String nVersion();
    private static native void nSetThreads(int threads);
    private static native int nGetThreads();
    private static native String nOmpWaitPolicy();
    private static native String[] nEnumNames(String which);
}
