package org.mumloc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads libmumloc.so once per JVM. Where it comes from, in order:
 * <ol>
 * <li>Fiji's {@code lib/linux64/libmumloc.so}, under the ImageJ directory (system property
 * {@code ij.dir}, else {@code IJ.getDirectory("imagej")});</li>
 * <li>the file named by the system property {@code mumloc.library};</li>
 * <li>{@code natives/linux64/libmumloc.so} inside the plugin jar, copied to a private temporary
 * directory (owner-only), loaded, and deleted again (the loaded mapping stays valid).</li>
 * </ol>
 * A failure is remembered and reported as a {@link MumlocException} listing each place tried and why it
 * failed (e.g. a missing libgomp).
 */
public final class NativeLoader {
    /** Resource path of the library inside the plugin jar. */
    public static final String RESOURCE = "/natives/linux64/libmumloc.so";
    /** The optional CUDA backend; libmumloc.so looks for it beside itself when a GPU is asked for. */
    public static final String CUDA_RESOURCE = "/natives/linux64/libmumloc_cuda.so";
    /** System property naming a library file to load. */
    public static final String LIBRARY_PROPERTY = "mumloc.library";

    private static boolean loaded;
    private static MumlocException failure;
    private static String loadedFrom;

    private NativeLoader() {
    }

    /** Loads the library if not yet done; throws the (remembered) failure otherwise. Thread-safe. */
    public static synchronized void load() {
        if (loaded) return;
        if (failure != null) throw failure;
        List<String> tried = new ArrayList<>();
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            tried.add("this machine is " + os + "/" + arch + "; mumloc's native library is built for "
                    + "Linux x86-64 only");
        } else {
            if (tryFile(fijiLibrary(), "Fiji's lib/linux64", tried)) return;
            String property = System.getProperty(LIBRARY_PROPERTY);
            if (property != null && !property.isEmpty()
                    && tryFile(new File(property), "-D" + LIBRARY_PROPERTY, tried)) return;
            if (tryResource(tried)) return;
        }
        StringBuilder sb = new StringBuilder("The mumloc native library could not be loaded.");
        for (String t : tried) sb.append("\n  - ").append(t);
        sb.append("\nOn Debian/Ubuntu, libmumloc.so needs the OpenMP runtime (apt install libgomp1).");
        failure = new MumlocException(MumlocException.NOT_LOADED, "not loaded", sb.toString());
        throw failure;
    }

    /** True if the library is loaded (never throws). */
    public static synchronized boolean isLoaded() {
        return loaded;
    }

    /** Where the library was loaded from (a path or a description), or null if not loaded. */
    public static synchronized String loadedFrom() {
        return loadedFrom;
    }

    private static File fijiLibrary() {
        String dir = System.getProperty("ij.dir");
        if (dir == null || dir.isEmpty()) {
            try {
                dir = ij.IJ.getDirectory("imagej");
            } catch (Throwable t) { // ImageJ absent (library use) or not initialised
                dir = null;
            }
        }
        if (dir == null || dir.isEmpty()) return null;
        return new File(new File(new File(dir, "lib"), "linux64"), "libmumloc.so");
    }

    private static boolean tryFile(File file, String what, List<String> tried) {
        if (file == null) return false;
        if (!file.isFile()) {
            if (!what.startsWith("Fiji")) tried.add(what + ": " + file + " does not exist");
            return false;
        }
        try {
            System.load(file.getAbsolutePath());
            loaded = true;
            loadedFrom = file.getAbsolutePath();
            return true;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            tried.add(what + ": " + file + ": " + e.getMessage());
            return false;
        }
    }

    private static boolean tryResource(List<String> tried) {
        Path dir = null;
        Path lib = null;
        Path cuda = null;
        try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                tried.add("plugin jar: it holds no " + RESOURCE.substring(1)
                        + " (was the jar built after `make native`?)");
                return false;
            }
            dir = Files.createTempDirectory("mumloc-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            lib = dir.resolve("libmumloc.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            cuda = extractCudaBackend(dir);
            System.load(lib.toAbsolutePath().toString());
            loaded = true;
            loadedFrom = "plugin jar (" + RESOURCE.substring(1) + ")";
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            tried.add("plugin jar: could not copy " + RESOURCE.substring(1) + " to a temporary directory: "
                    + e.getMessage());
            return false;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            tried.add("plugin jar (" + RESOURCE.substring(1) + "): " + e.getMessage());
            return false;
        } finally {
            // Once loaded (or failed) the copy is no longer needed: Linux keeps the mapping alive.
            try {
                if (lib != null) Files.deleteIfExists(lib);
                if (cuda != null) {
                    // The CUDA backend is opened later, on demand: it stays until the JVM exits.
                    dir.toFile().deleteOnExit();
                    cuda.toFile().deleteOnExit();
                } else if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException ignored) {
                // a leftover file in a private temp directory is harmless
            }
        }
    }

    /** Copies the jar's CUDA backend (if it holds one) beside libmumloc.so; null when there is none. */
    private static Path extractCudaBackend(Path dir) throws IOException {
        try (InputStream in = NativeLoader.class.getResourceAsStream(CUDA_RESOURCE)) {
            if (in == null) return null;
            Path cuda = dir.resolve("libmumloc_cuda.so");
            Files.copy(in, cuda, StandardCopyOption.REPLACE_EXISTING);
            return cuda;
        }
    }
}
