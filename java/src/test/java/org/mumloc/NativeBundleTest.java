package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The jar's native bundle and its cache folder, on a stand-in bundle (test resources fake-natives/). */
class NativeBundleTest {
    private static NativeBundle fake() throws IOException {
        return NativeBundle.read(NativeBundleTest.class, "/fake-natives/");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void readsTheList() throws IOException {
        NativeBundle b = fake();
        assertEquals("9.8.7", b.version);
        assertEquals("2.31", b.glibc);
        assertEquals(2, b.files.size());
        assertTrue(b.holds("libtwo.so.1"));
        assertTrue(b.folderName.matches("9\\.8\\.7-[0-9a-f]{16}"), b.folderName);
        assertNotEquals(b.folderName, NativeBundle.read(NativeBundleTest.class, "/fake-natives-broken/").folderName,
                "another list, another folder");
        assertNull(NativeBundle.read(NativeBundleTest.class, "/no-such-folder/"));
    }

    @Test
    void extractsOnceAndReuses() throws Exception {
        Path root = TestFiles.scratch("bundle-reuse").resolve("cache");
        NativeBundle b = fake();
        Path folder = b.extract(root);
        assertEquals(root.resolve(b.folderName), folder);
        assertEquals(List.of("libone.so", "libtwo.so.1"), names(folder));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(folder.resolve("libone.so")));
        Object inode = Files.readAttributes(folder.resolve("libone.so"), "unix:ino").get("ino");
        assertEquals(folder, b.extract(root));
        assertEquals(inode, Files.readAttributes(folder.resolve("libone.so"), "unix:ino").get("ino"),
                "a complete folder is reused, not written again");
        assertEquals(List.of(b.folderName), names(root), "nothing else is left in the cache");
    }

    @Test
    void manyExtractingAtOnceShareOneFolder() throws Exception {
        Path root = TestFiles.scratch("bundle-race").resolve("cache");
        NativeBundle b = fake();
        int n = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Path>> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<Path> task = () -> {
                    start.await();
                    return b.extract(root);
                };
                got.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Path> f : got) assertEquals(root.resolve(b.folderName), f.get());
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(b.folderName), names(root), "one folder, no temporary leftovers");
        assertTrue(b.isComplete(root.resolve(b.folderName)));
    }

    @Test
    void aDamagedFolderIsReplaced() throws Exception {
        Path root = TestFiles.scratch("bundle-damaged").resolve("cache");
        NativeBundle b = fake();
        Path folder = root.resolve(b.folderName);
        Files.createDirectories(folder);
        Files.write(folder.resolve("libone.so"), new byte[] {'h'});
        assertEquals(folder, b.extract(root));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(folder.resolve("libone.so")));
        assertTrue(b.isComplete(folder));
        assertEquals(List.of(b.folderName), names(root));
    }

    @Test
    void aListedFileMissingFromTheJarIsNamed() throws Exception {
        Path root = TestFiles.scratch("bundle-broken").resolve("cache");
        NativeBundle b = NativeBundle.read(NativeBundleTest.class, "/fake-natives-broken/");
        IOException e = assertThrows(IOException.class, () -> b.extract(root));
        assertTrue(e.getMessage().contains("lacks fake-natives-broken/libabsent.so"), e.getMessage());
        assertEquals(List.of(), names(root), "no partial folder is left");
    }
}
