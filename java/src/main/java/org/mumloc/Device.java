package org.mumloc;

/** Device selection ({@code mumloc_device_parse} + {@code mumloc_device_resolve}). */
public final class Device {
    /** The device that will run: "cpu" or "cuda:N". */
    public final String device;
    /** The library's sentence saying what was chosen and why (e.g. why the CPU). */
    public final String reason;

    /** Filled by the library, field by field (native/src/jni/Device.c). */
    private Device() {
        device = null;
        reason = null;
    }

    public boolean isCpu() {
        return "cpu".equals(device);
    }

    /** Resolves "auto", "cpu", "cuda" or "cuda:N"; an unusable CUDA request throws with the reason. */
    public static Device resolve(String request) {
        Mumloc.load();
        return nResolve(request);
    }

    private static native Device nResolve(String request);
}
