package org.mumloc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <li>{@code natives/linux64/} inside the plugin jar: libmumloc.so, the CUDA backend when built, and
 * every non-glibc library they need, extracted once to a per-user cache folder
 * ({@code ~/.cache/mumloc/<version>-<hash>}, see {@link NativeBundle}) and loaded from there;
 * libmumloc.so finds the others beside itself (its RPATH is $ORIGIN).</li>
 * </ol>
 * A failure is remembered and reported as a {@link MumlocException} listing each place tried and why it
 * failed, naming the missing piece (e.g. a missing library, or a too old glibc).
 */
public final class NativeLoader {
    /** Resource folder of the native libraries inside the plugin jar (see {@link NativeBundle}). */
    public static final String DIR = "/natives/linux64/";
    /** Resource path of the library inside the plugin jar. */
    public static final String RESOURCE = DIR + "libmumloc.so";
    /** System property naming a library file to load. */
    public static final String LIBRARY_PROPERTY = "mumloc.library";

    private static boolean loaded;
    private static MumlocException failure;
    private static String loadedFrom;
    private static NativeBundle bundle;

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
        if (bundle != null)
            sb.append("\nThe plugin's libraries run on x86-64 Linux with glibc ").append(bundle.glibc)
                    .append(" or newer (see the README, \"Installing in Fiji\").");
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
            tried.add(what + ": " + file + ": " + withHint(e.getMessage()));
            return false;
        }
    }

    /** Loads libmumloc.so from the jar's bundle, extracted to the per-user cache (else a private temp folder). */
    private static boolean tryResource(List<String> tried) {
        try {
            bundle = NativeBundle.read(NativeLoader.class, DIR);
        } catch (IOException e) {
            tried.add("plugin jar: " + e.getMessage());
            return false;
        }
        if (bundle == null || !bundle.holds("libmumloc.so")) {
            tried.add("plugin jar: it holds no " + DIR.substring(1) + NativeBundle.LIST + " listing libmumloc.so"
                    + " (was the jar built after `make native`?)");
            return false;
        }
        Path folder;
        Path root = NativeBundle.cacheRoot();
        try {
            folder = bundle.extract(root);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            tried.add("plugin jar: could not extract its libraries to " + root + " (" + e.getMessage()
                    + "); using a temporary folder instead");
            try {
                Path temporary = Files.createTempDirectory("mumloc-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                folder = bundle.extract(temporary);
                deleteOnExit(temporary, folder);
            } catch (IOException | UnsupportedOperationException | SecurityException again) {
                tried.add("plugin jar: could not extract its libraries to a temporary folder either: "
                        + again.getMessage());
                return false;
            }
        }
        Path lib = folder.resolve("libmumloc.so");
        try {
            System.load(lib.toAbsolutePath().toString());
            loaded = true;
            loadedFrom = "plugin jar (" + DIR.substring(1) + ", extracted to " + folder + ")";
            return true;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            tried.add("plugin jar (extracted to " + folder + "): " + withHint(e.getMessage()));
            return false;
        }
    }

    /** The loader's message, followed by what it means for the user when it is one glibc writes. */
    private static String withHint(String message) {
        String hint = LinkErrors.explain(message, bundle);
        return hint == null ? message : message + "\n    => " + hint;
    }

    private static void deleteOnExit(Path temporary, Path folder) {
        // deleteOnExit works in reverse order of registration: the folders, registered first, go last
        temporary.toFile().deleteOnExit();
        folder.toFile().deleteOnExit();
        for (NativeBundle.Entry e : bundle.files) folder.resolve(e.name).toFile().deleteOnExit();
    }
}
