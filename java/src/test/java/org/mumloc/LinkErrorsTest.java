package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/** The loader's hints, from messages in the words glibc's dynamic loader uses. */
class LinkErrorsTest {
    private static NativeBundle fake() throws IOException {
        return NativeBundle.read(LinkErrorsTest.class, "/fake-natives/");
    }

    private static void assertHint(String expected, String hint) {
        assertTrue(hint != null && hint.contains(expected), "expected '" + expected + "' in: " + hint);
    }

    @Test
    void namesTheLibraryThatCannotBeOpened() throws IOException {
        String msg = "/home/u/.cache/mumloc/0.1.0-abc/libmumloc.so: libdnnl.so.2: cannot open shared object file: "
                + "No such file or directory";
        assertHint("missing library libdnnl.so.2: it is neither in the plugin nor installed", LinkErrors.explain(msg, null));
        String carried = "/c/libmumloc.so: libtwo.so.1: cannot open shared object file: No such file or directory";
        assertHint("missing library libtwo.so.1, which the plugin carries", LinkErrors.explain(carried, fake()));
        String cudnn = "/c/libmumloc_cuda.so: libcudnn.so.9: cannot open shared object file: No such file or directory";
        assertHint("cuDNN 9", LinkErrors.explain(cudnn, fake()));
    }

    @Test
    void namesADamagedLibrary() {
        assertHint("libpng16.so.16 found on this system is damaged or not one for this machine (file too short)",
                LinkErrors.explain("/c/libmumloc.so: /lib/x86_64-linux-gnu/libpng16.so.16: file too short", null));
    }

    @Test
    void namesTheGlibcNeeded() throws IOException {
        String msg = "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.36' not found (required by /c/libstdc++.so.6)";
        assertHint("glibc) is older than 2.36", LinkErrors.explain(msg, null));
        String older = "/lib64/libc.so.6: version `GLIBC_2.29' not found (required by /c/libpng16.so.16)";
        assertHint("need glibc 2.31 or newer", LinkErrors.explain(older, fake()));
        String cxx = "/usr/lib/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by /c/libdnnl.so.2)";
        assertHint("without GLIBCXX_3.4.30", LinkErrors.explain(cxx, null));
    }

    @Test
    void otherMessagesGetNoHint() {
        assertNull(LinkErrors.explain("Can't load library: /x/libmumloc.so", null));
        assertNull(LinkErrors.explain(null, null));
    }
}
