package org.mumloc;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Run by {@link NativeFailuresTest} in a JVM whose address space is limited (ulimit -v) to well below
 * what the library asks for: a render of the largest allowed field (2^26 pixels of 16 bytes) with the
 * largest z-stack (2^28 voxels of 4 bytes), about 2 GB. The library's allocation fails inside it
 * (MUMLOC_ERR_OUT_OF_MEMORY); each attempt prints its status and message, then a small render shows
 * the JVM and the library still work. Argument: a scratch folder.
 */
public final class OutOfMemoryProbe {
    private OutOfMemoryProbe() {
    }

    public static void main(String[] args) {
        Path dir = Paths.get(args[0]);
        Table table = new Table(new String[] {"x", "y", "z"}, new String[] {"nm", "nm", "nm"},
                new double[][] {{100, 4000}, {100, 4000}, {50, 350}});
        String csv = dir.resolve("two.csv").toString();
        table.writeCsv(csv);
        Rendering.Params huge = Rendering.Params.defaults();
        huge.pixelNm = 1;
        huge.fieldWidthNm = 8192; // 8192 x 8192 = 2^26 pixels, the largest image allowed
        huge.fieldHeightNm = 8192;
        huge.zFromData = false;
        huge.zMinNm = 0;
        huge.zMaxNm = 400;
        huge.zBinNm = 100; // 4 slices: 2^28 voxels, the largest z-stack allowed
        huge.zstack = true;
        try {
            Rendering.renderFile(csv, huge, dir.resolve("huge.png").toString(), dir.resolve("huge.tif").toString(),
                    null);
            System.out.println("file=rendered");
        } catch (MumlocException e) {
            System.out.println("file.status=" + e.getStatus());
            System.out.println("file.message=" + e.getMessage());
        }
        try {
            Rendering.render(table, huge, null, null);
            System.out.println("table=rendered");
        } catch (MumlocException e) {
            System.out.println("table.status=" + e.getStatus());
            System.out.println("table.message=" + e.getMessage());
        }
        Rendering small = Rendering.render(table, Rendering.Params.defaults(), null, null);
        System.out.println("after=" + small.width + "x" + small.height);
    }
}
