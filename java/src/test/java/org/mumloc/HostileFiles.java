package org.mumloc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Files an outside review used to hang or crash readers (issue 15), written small and fresh by each test:
 * an empty file, random bytes, a TIFF whose IFD points to itself, a TIFF declaring 100000 x 100000 pixels,
 * a truncated TIFF, a directory and a path that does not exist. Also a command-line tool for the ImageJ
 * macro tests: {@code java -cp target/test-classes org.mumloc.HostileFiles DIR} writes them into DIR and
 * prints "name=path" per file.
 */
public final class HostileFiles {
    private HostileFiles() {
    }

    /** The names of the files that are TIFFs (damaged ones); the others are hostile to any reader. */
    public static final List<String> TIFFS = Arrays.asList("loop", "huge", "truncated");

    /** Writes every hostile file into dir; returns name → path, in a fixed order. */
    public static Map<String, Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("empty", Files.write(dir.resolve("empty.tif"), new byte[0]));
        byte[] random = new byte[4096];
        new Random(15).nextBytes(random);
        files.put("random", Files.write(dir.resolve("random.tif"), random));
        files.put("loop", Files.write(dir.resolve("loop.tif"), tiff(4, 4, 8, true, 32)));
        files.put("huge", Files.write(dir.resolve("huge.tif"), tiff(100000, 100000, 8, false, 32)));
        byte[] whole = tiff(64, 64, 8, false, 64 * 64 * 2);
        files.put("truncated", Files.write(dir.resolve("truncated.tif"), Arrays.copyOf(whole, whole.length / 2)));
        files.put("directory", Files.createDirectories(dir.resolve("directory.tif")));
        files.put("missing", dir.resolve("no such file.tif"));
        return files;
    }

    /**
     * A little-endian 16-bit grayscale TIFF of width x height in one strip at byte 8 + its IFD, the
     * strip declared complete (width·height·2 bytes) but only `dataBytes` bytes of it written (zeros).
     * selfLoop: the IFD's "next IFD" offset points back to the IFD itself.
     */
    static byte[] tiff(int width, int height, int ifdAt, boolean selfLoop, int dataBytes) {
        int count = 8;
        int stripAt = 8 + 2 + count * 12 + 4;
        long declared = 2L * width * height;
        ByteBuffer b = ByteBuffer.allocate(stripAt + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifdAt);
        b.position(ifdAt);
        b.putShort((short) count);
        entry(b, 254, 4, 0);                     // NewSubfileType: a full image
        entry(b, 256, 4, width);                 // ImageWidth
        entry(b, 257, 4, height);                // ImageLength
        entry(b, 258, 3, 16);                    // BitsPerSample
        entry(b, 259, 3, 1);                     // Compression: none
        entry(b, 262, 3, 1);                     // Photometric: black is zero
        entry(b, 273, 4, stripAt);               // StripOffsets
        entry(b, 279, 4, (int) Math.min(declared, 0xFFFFFFFFL)); // StripByteCounts (RowsPerStrip: all)
        b.putInt(selfLoop ? ifdAt : 0);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) b.putShort((short) value).putShort((short) 0);
        else b.putInt(value);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: HostileFiles DIR");
            System.exit(2);
        }
        for (Map.Entry<String, Path> e : write(Paths.get(args[0])).entrySet())
            System.out.println(e.getKey() + "=" + e.getValue().toAbsolutePath());
    }
}
