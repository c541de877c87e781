package org.mumloc;

/** Device selection ({@code mumloc_device_parse} + {@code mumloc_device_resolve}). */
public final class Device {
    /** The device that will run: "cpu" or "cuda:N". */
    public final String device;
    /** The library's sentence saying what was chosen and why (e.g. why the CPU). */
    public final String reason;

    private Device(String device, String reason) {
        this.device = device;
        this.reason = reason;
    }

    public boolean isCpu() {
        return "cpu".equals(device);
    }

    /** Resolves "auto", "cpu", "cuda" or "cuda:N"; an unusable CUDA request throws with the reason. */
    public static Device resolve(String request) {
        Mumloc.load();
        String[] r = nResolve(request);
        return new Device(r[0], r[1]);
    }

    private static native String[] nResolve(String request);
}
