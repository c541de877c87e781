package org.mumloc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The native libraries packed in the plugin jar (libmumloc.so and every non-glibc library it needs,
 * listed with their sizes in {@code natives.list} by scripts/bundle-natives.sh) and their copy in a
 * per-user cache folder, {@code <cache>/<version>-<hash of the list>}, which every JVM running this
 * build reuses. The folder is filled under a temporary name and renamed into place, so a folder under
 * its final name is always complete, and two JVMs extracting at once both end up with one good copy.
 */
final class NativeBundle {
    /** The list's name in the bundle's resource folder. */
    static final String LIST = "natives.list";
    /** System property naming the cache root (default: $XDG_CACHE_HOME/mumloc or ~/.cache/mumloc). */
    static final String CACHE_PROPERTY = "mumloc.cache";

    /** One library of the bundle. */
    static final class Entry {
        final String name;
        final long size;

        Entry(String name, long size) {
            this.name = name;
            this.size = size;
        }
    }

    private final Class<?> anchor;
    private final String resourceDir;
    final String version;
    /** The oldest glibc the libraries run on (e.g. "2.36"), or "?" when the list does not say. */
    final String glibc;
    final List<Entry> files;
    /** Names the cache folder: the version and the list's SHA-256, so another build gets another folder. */
    final String folderName;

    private NativeBundle(Class<?> anchor, String resourceDir, String version, String glibc, List<Entry> files,
                         String hash) {
        this.anchor = anchor;
        this.resourceDir = resourceDir;
        this.version = version;
        this.glibc = glibc;
        this.files = Collections.unmodifiableList(files);
        this.folderName = version + "-" + hash;
    }

    /**
     * Reads the list of the bundle in the resource folder resourceDir (e.g. "/natives/linux64/") of
     * anchor's class loader; null when there is none.
     */
    static NativeBundle read(Class<?> anchor, String resourceDir) throws IOException {
        byte[] list;
        try (InputStream in = anchor.getResourceAsStream(resourceDir + LIST)) {
            if (in == null) return null;
            list = in.readAllBytes();
        }
        String version = null;
        String glibc = "?";
        List<Entry> files = new ArrayList<>();
        for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].isEmpty() || f[0].startsWith("#")) continue;
            if (f[0].equals("version") && f.length == 2) version = f[1];
            else if (f[0].equals("glibc") && f.length == 2) glibc = f[1];
            else if (f[0].equals("file") && f.length >= 3 && isPlainName(f[1])) {
                try {
                    files.add(new Entry(f[1], Long.parseLong(f[2])));
                } catch (NumberFormatException e) {
                    throw new IOException(resourceDir + LIST + " in the plugin jar is damaged: " + line);
                }
            } else {
                throw new IOException(resourceDir + LIST + " in the plugin jar is damaged: " + line);
            }
        }
        if (version == null || !isPlainName(version) || files.isEmpty())
            throw new IOException(resourceDir + LIST + " in the plugin jar names no version or no file");
        return new NativeBundle(anchor, resourceDir, version, glibc, files, sha256(list).substring(0, 16));
    }

    /** The cache root: -Dmumloc.cache, else $XDG_CACHE_HOME/mumloc, else ~/.cache/mumloc. */
    static Path cacheRoot() {
        String property = System.getProperty(CACHE_PROPERTY);
        if (property != null && !property.isEmpty()) return Paths.get(property);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) return Paths.get(xdg, "mumloc");
        return Paths.get(System.getProperty("user.home"), ".cache", "mumloc");
    }

    /**
     * The folder under root holding this bundle: reused when complete; otherwise extracted from the
     * jar to a temporary folder beside it and renamed into place (a damaged folder is moved aside).
     */
    Path extract(Path root) throws IOException {
        Path folder = root.resolve(folderName);
        if (isComplete(folder)) return folder;
        Files.createDirectories(root);
        Path fresh = Files.createTempDirectory(root, ".extract-");
        try {
            for (Entry e : files) copy(e, fresh.resolve(e.name));
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    Files.move(fresh, folder, StandardCopyOption.ATOMIC_MOVE);
                    return folder;
                } catch (IOException taken) {
                    // Another JVM placed its copy first (then use it), or the folder there is damaged.
                    if (isComplete(folder)) return folder;
                    moveAside(root, folder);
                }
            }
            throw new IOException("could not place the native libraries in " + folder);
        } finally {
            deleteTree(fresh);
        }
    }

    /** True when folder holds every listed file with its listed size. */
    boolean isComplete(Path folder) {
        if (!Files.isDirectory(folder)) return false;
        try {
            for (Entry e : files) {
                Path f = folder.resolve(e.name);
                if (!Files.isRegularFile(f) || Files.size(f) != e.size) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the bundle holds a library of this file name. */
    boolean holds(String name) {
        for (Entry e : files)
            if (e.name.equals(name)) return true;
        return false;
    }

    private void copy(Entry e, Path to) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(resourceDir + e.name)) {
            if (in == null)
                throw new IOException("the plugin jar lacks " + resourceDir.substring(1) + e.name
                        + ", which its " + LIST + " lists: the jar is damaged");
            long copied = Files.copy(in, to);
            if (copied != e.size)
                throw new IOException(resourceDir.substring(1) + e.name + " in the plugin jar has " + copied
                        + " bytes, " + LIST + " says " + e.size + ": the jar is damaged");
        }
    }

    /** Renames a damaged folder out of the way (JVMs that loaded from it keep their mappings), then deletes it. */
    private static void moveAside(Path root, Path folder) {
        try {
            Path aside = Files.createTempDirectory(root, ".stale-");
            Path target = aside.resolve("old");
            Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(aside);
        } catch (IOException ignored) {
            // another JVM moved it first, or it is gone: the next rename attempt tells
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover in the cache is harmless; the next extraction does not depend on it
        }
    }

    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.startsWith(".");
    }

    private static String sha256(byte[] data) {
        try {
            StringBuilder sb = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(data)) sb.append(String.format("%02x", b));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }
}
