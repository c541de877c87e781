package org.mumloc.fiji;

import ij.ImagePlus;
import ij.VirtualStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import org.mumloc.Movie;

/**
 * A movie file as an ImageJ image, read by the library's checked TIFF reader ({@link Movie}) instead
 * of ImageJ's opener: on a damaged or foreign file ImageJ's opener waits on a modal error dialog
 * (forever in batch mode), loops on an IFD that points to itself, or runs out of memory on declared
 * sizes and returns nothing; the library refuses such a file at once with a message. A virtual stack
 * of 32-bit images, each read from the file when asked for, so memory holds a batch whatever the
 * movie's length; the same values as {@code mumloc localize} reads.
 */
final class MovieStack extends VirtualStack implements AutoCloseable {
    private final Movie movie;

    private MovieStack(Movie movie) {
        super(movie.width, movie.height);
        this.movie = movie;
        setBitDepth(32);
    }

    /**
     * Opens path as an image titled by its file name: hyperstack dimensions, calibration and the TIFF
     * description (as "Info") from the file. Close the image's stack ({@link #closeIfMovie}) when done.
     * Fails with the library's message, or a user error for a movie ImageJ cannot hold.
     */
    static ImagePlus open(String path) {
        Movie movie = Movie.open(path);
        try {
            if ((long) movie.width * movie.height > Integer.MAX_VALUE - 8)
                throw new UserError("\"" + path + "\" has images of " + movie.width + " x " + movie.height
                        + " pixels; ImageJ holds at most 2^31 pixels per image");
            if (movie.images > Integer.MAX_VALUE - 8)
                throw new UserError("\"" + path + "\" has " + movie.images + " images; an ImageJ stack holds at most 2^31");
            ImagePlus imp = new ImagePlus(new java.io.File(path).getName(), new MovieStack(movie));
            imp.setDimensions(movie.channels, movie.slices, movie.frames);
            if (movie.channels > 1 || movie.frames > 1) imp.setOpenAsHyperStack(true);
            if (movie.pixelWidth > 0) {
                Calibration cal = imp.getCalibration();
                cal.pixelWidth = movie.pixelWidth;
                cal.pixelHeight = movie.pixelHeight > 0 ? movie.pixelHeight : movie.pixelWidth;
                cal.setUnit(movie.unit.isEmpty() ? "pixel" : movie.unit);
            }
            if (!movie.description.isEmpty()) imp.setProperty("Info", movie.description);
            return imp;
        } catch (RuntimeException | Error e) {
            movie.close();
            throw e;
        }
    }

    /** Closes the file behind an image from {@link #open} (nothing for any other image). */
    static void closeIfMovie(ImagePlus imp) {
        if (imp != null && imp.getStack() instanceof MovieStack) ((MovieStack) imp.getStack()).close();
    }

    @Override
    public ImageProcessor getProcessor(int n) {
        return new FloatProcessor(movie.width, movie.height, movie.read(n - 1));
    }

    @Override
    public Object getPixels(int n) {
        return getProcessor(n).getPixels();
    }

    @Override
    public int getSize() {
        return (int) movie.images;
    }

    @Override
    public int size() {
        return getSize();
    }

    @Override
    public String getSliceLabel(int n) {
        return null;
    }

    @Override
    public void close() {
        movie.close();
    }
}
