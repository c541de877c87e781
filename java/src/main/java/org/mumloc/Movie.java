package org.mumloc;

/**
 * A TIFF movie read by the library's own reader ({@code mumloc_movie} of mumloc.h), the one the CLI
 * localizes with. Opening checks the whole file (header, chain of IFDs, every image inside the file),
 * so a foreign, damaged or truncated file, a folder or a missing path throws {@link MumlocException}
 * naming it at once, whatever size it declares; images are then read one at a time, as floats. Close
 * it (it is {@link AutoCloseable}); reading after {@link #close()} throws {@link IllegalStateException}.
 */
public final class Movie implements AutoCloseable {
    private long handle;
    private final String path;
    /** Image size in pixels. */
    public final int width;
    public final int height;
    /** Number of images, channels × slices × frames. */
    public final long images;
    /** ImageJ's hyperstack dimensions (from an ImageJ description, else 1 × images × 1). */
    public final int channels;
    public final int slices;
    public final int frames;
    /** 8, 16, 32 or 64: the file's sample depth (images are read as floats whatever it is). */
    public final int bitsPerSample;
    /** The pixel size in {@link #unit} (0 when the file does not say). */
    public final double pixelWidth;
    public final double pixelHeight;
    /** ImageJ's unit ("micron", ...), else "inch"/"cm" from the TIFF, else "". */
    public final String unit;
    /** The first image's TIFF ImageDescription ("" when none). */
    public final String description;

    private Movie(long handle, String path) {
        this.handle = handle;
        this.path = path;
        width = height = channels = slices = frames = bitsPerSample = 0;
        images = 0;
        pixelWidth = pixelHeight = 0;
        unit = description = null;
        nInfo(handle, this); // sets the fields above by name
    }

    /** Opens and checks a TIFF movie; a bad file throws {@link MumlocException} with the library's message. */
    public static Movie open(String path) {
        Mumloc.load();
        long handle = nOpen(path);
        try {
            return new Movie(handle, path);
        } catch (RuntimeException | Error e) {
            nClose(handle);
            throw e;
        }
    }

    /** The path it was opened from. */
    public String path() {
        return path;
    }

    /** Reads image index (0-based, file order: channel fastest, then slice, then frame) as width × height floats. */
    public synchronized float[] read(long index) {
        if (handle == 0) throw new IllegalStateException("the movie is closed");
        float[] pixels = new float[Math.multiplyExact(width, height)];
        nRead(handle, index, pixels);
        return pixels;
    }

    @Override
    public synchronized void close() {
        if (handle != 0) nClose(handle);
        handle = 0;
    }

    private static native long nOpen(String path);
    private static native void nClose(long handle);
    private static native void nInfo(long handle, Movie out);
    private static native void nRead(long handle, long index, float[] out);
}
