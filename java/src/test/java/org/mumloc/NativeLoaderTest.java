package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Where the library is loaded from, each case in a fresh JVM (a library loads once per JVM). */
class NativeLoaderTest {

    private static Path library() {
        String p = System.getProperty("mumloc.library");
        assumeTrue(p != null && new File(p).isFile(), "the built library is needed");
        return Paths.get(p);
    }

    /** The test class path (surefire passes it in a property; its own class path is a manifest jar). */
    private static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ArrayList<>(Arrays.asList(cp.split(File.pathSeparator)));
    }

    /** Runs LoaderProbe with the given class path and system properties; returns its output lines. */
    private static List<String> probe(List<String> classPath, Path tmp, String... properties)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(Arrays.asList(properties));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        cmd.add(LoaderProbe.class.getName());
        Path out = tmp.resolve("probe.log");
        int rc = TestFiles.run(out.toFile(), cmd.toArray(new String[0]));
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        Files.delete(out);
        assertEquals(0, rc, () -> "probe failed: " + lines);
        return lines;
    }

    private static String value(List<String> lines, String key) {
        for (String l : lines)
            if (l.startsWith(key + "=")) return l.substring(key.length() + 1);
        return null;
    }

    @Test
    void fijiLibFolderComesFirst() throws Exception {
        Path tmp = TestFiles.scratch("loader-fiji");
        Path fiji = tmp.resolve("Fiji.app");
        Path lib = fiji.resolve("lib/linux64/libmumloc.so");
        Files.createDirectories(lib.getParent());
        Files.copy(library(), lib);
        List<String> out = probe(classPath(), tmp, "-Dij.dir=" + fiji, "-Dmumloc.library=/nonexistent/libmumloc.so");
        assertEquals(lib.toAbsolutePath().toString(), value(out, "loaded-from"), out.toString());
        assertEquals("0.1.0", value(out, "version"));
    }

    @Test
    void libraryPropertyIsNext() throws Exception {
        Path tmp = TestFiles.scratch("loader-property");
        List<String> out = probe(classPath(), tmp, "-Dij.dir=" + tmp, "-Dmumloc.library=" + library());
        assertEquals(library().toAbsolutePath().toString(), value(out, "loaded-from"), out.toString());
    }

    @Test
    void jarCopyIsLastGoesToTheCacheAndIsReused() throws Exception {
        NativeBundle bundle = NativeBundle.read(NativeLoader.class, NativeLoader.DIR);
        assumeTrue(bundle != null, "the libraries were not packed (build them before the jar)");
        Path tmp = TestFiles.scratch("loader-jar");
        Path cache = tmp.resolve("cache");
        Path temp = Files.createDirectories(tmp.resolve("tmp"));
        List<String> out = probe(classPath(), temp, "-Dij.dir=" + tmp, "-Dmumloc.cache=" + cache);
        Path folder = cache.resolve(bundle.folderName);
        assertEquals("plugin jar (natives/linux64/, extracted to " + folder + ")", value(out, "loaded-from"),
                out.toString());
        assertEquals("0.1.0", value(out, "version"));
        assertTrue(bundle.isComplete(folder), "every listed library is in " + folder);
        Object inode = Files.readAttributes(folder.resolve("libmumloc.so"), "unix:ino").get("ino");
        // a second JVM reuses the folder as it is
        assertEquals(value(out, "loaded-from"), value(probe(classPath(), temp, "-Dij.dir=" + tmp,
                "-Dmumloc.cache=" + cache), "loaded-from"));
        assertEquals(inode, Files.readAttributes(folder.resolve("libmumloc.so"), "unix:ino").get("ino"));
        try (Stream<Path> left = Files.list(cache); Stream<Path> inTemp = Files.list(temp)) {
            assertEquals(bundle.folderName, left.map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")),
                    "one folder in the cache, no temporary leftovers");
            assertEquals("", inTemp.map(Path::toString).collect(Collectors.joining(", ")), "nothing in the temp dir");
        }
    }

    @Test
    void failureNamesEveryPlaceTried() throws Exception {
        Path tmp = TestFiles.scratch("loader-fail");
        // The compiled classes without the packed library, and a "library" that is not one.
        Path classes = tmp.resolve("classes");
        Path main = Paths.get(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(main.resolve("org"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = classes.resolve(main.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path bogus = tmp.resolve("libmumloc.so");
        Files.write(bogus, "not a library".getBytes(StandardCharsets.UTF_8));
        List<String> cp = classPath();
        cp.remove(main.toString());
        cp.add(0, classes.toString());
        List<String> out = probe(cp, tmp.resolve("classes"), "-Dij.dir=" + tmp.resolve("nowhere"),
                "-Dmumloc.library=" + bogus);
        assertEquals(String.valueOf(MumlocException.NOT_LOADED), value(out, "status"), out.toString());
        String msg = value(out, "failed");
        assertTrue(msg.contains("-Dmumloc.library: " + bogus), msg);
        assertTrue(msg.contains("=> the library libmumloc.so found on this system is damaged"), msg);
        assertTrue(msg.contains("plugin jar: it holds no natives/linux64/natives.list listing libmumloc.so"), msg);
        assertEquals("true", value(out, "again"));
    }
}
