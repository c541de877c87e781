package org.mumloc;

/**
 * Where the k focal planes of a C × Z × T movie are: the library's one rule
 * ({@code mumloc_plane_layout}), shared with {@code mumloc localize --planes}. In either layout image
 * f·k + d (0-based; channel fastest, then slice, then frame) is plane d of frame f.
 */
public final class MovieLayout {
    /** The axes a caller may ask for, indexed by the library's values (auto, channels, slices). */
    public static String[] axisNames() {
        return Mumloc.enumNames("plane_axis");
    }

    /** "channels" or "slices". */
    public final String axis;
    /** Frames of k planes in the movie. */
    public final long frames;

    // Filled by the native call, read by field name.
    private int nativeAxis;
    private long nativeFrames;

    private MovieLayout(int axis, long frames) {
        this.axis = axisNames()[axis];
        this.frames = frames;
    }

    /**
     * The layout of a movie with the given dimensions for k planes; request is "auto", "channels" or
     * "slices"; what names the movie in messages. Throws the library's message (what the movie has,
     * what to pass) when the planes cannot be found that way.
     */
    public static MovieLayout resolve(int channels, int slices, int frames, int k, String request, String what) {
        String[] axes = axisNames();
        int requested = java.util.Arrays.asList(axes).indexOf(request);
        if (requested < 0)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    "planes: '" + request + "' is not one of " + String.join(", ", axes));
        MovieLayout out = new MovieLayout(0, 0);
        nResolve(channels, slices, frames, k, requested, what, out);
        return new MovieLayout(out.nativeAxis, out.nativeFrames);
    }

    private static native void nResolve(int channels, int slices, int frames, int k, int requested,
                                        String what, MovieLayout out);
}
