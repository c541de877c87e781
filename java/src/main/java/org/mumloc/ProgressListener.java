package org.mumloc;

/** Progress of a long library call, called on the calling thread. */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param done work units done so far
     * @param total work units in all
     * @return true to cancel: the call then fails with status CANCELLED and leaves no partial file
     */
    boolean progress(long done, long total);
}
