package org.mumloc;

/**
 * A failure reported by the mumloc library (or by the JNI glue checking its inputs). It carries the
 * library's status and the message of {@code mumloc_last_error()}, which names the problem and what to
 * do about it; the message is written for users, so commands show it as is.
 */
public class MumlocException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Status codes of {@code mumloc_status}. */
    public static final int OK = 0;
    public static final int INVALID_ARGUMENT = 1;
    public static final int OUT_OF_MEMORY = 2;
    public static final int IO = 3;
    public static final int FORMAT = 4;
    public static final int CANCELLED = 5;
    public static final int UNSUPPORTED = 6;
    public static final int INTERNAL = 7;
    /** Not a library status: the native library itself could not be loaded. */
    public static final int NOT_LOADED = -1;

    private final int status;
    private final String statusName;

    /** Called from JNI as well: keep the signature (ILjava/lang/String;Ljava/lang/String;)V. */
    public MumlocException(int status, String statusName, String message) {
        super(message == null || message.isEmpty() ? statusName : message);
        this.status = status;
        this.statusName = statusName;
    }

    public MumlocException(int status, String statusName, String message, Throwable cause) {
        this(status, statusName, message);
        initCause(cause);
    }

    /** The {@code mumloc_status} value, or {@link #NOT_LOADED}. */
    public int getStatus() {
        return status;
    }

    /** The library's short name of the status, e.g. "invalid argument". */
    public String getStatusName() {
        return statusName;
    }

    /** The library's short name of a status code, e.g. "invalid argument". */
    public static String statusString(int status) {
        Mumloc.load();
        return nStatusString(status);
    }

    private static native String nStatusString(int status);

    /** True when the failure is a cancellation the caller asked for (Esc), not an error. */
    public boolean isCancelled() {
        return status == CANCELLED;
    }
}
