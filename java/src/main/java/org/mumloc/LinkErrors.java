package org.mumloc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the dynamic loader's message in an UnsatisfiedLinkError (glibc's wording) into a sentence
 * naming the missing piece and what to do, for the loader's failure report.
 */
final class LinkErrors {
    private static final String LIBRARY = "([^\\s:/]+\\.so(?:\\.[0-9]+)*)";
    private static final Pattern CANNOT_OPEN = Pattern.compile(LIBRARY + ": cannot open shared object file");
    private static final Pattern DAMAGED =
            Pattern.compile(LIBRARY + ": (file too short|invalid ELF header|wrong ELF class: \\S+)");
    private static final Pattern OLD_GLIBC = Pattern.compile("version `GLIBC_([0-9.]+)' not found");
    private static final Pattern OLD_CXX = Pattern.compile("version `((?:GLIBCXX|CXXABI)_[0-9.]+)' not found");

    private LinkErrors() {
    }

    /**
     * What the failure means for the user, or null when the message is not one of glibc's known ones.
     * bundle (may be null) tells which libraries the plugin carries and the oldest glibc they need.
     */
    static String explain(String message, NativeBundle bundle) {
        if (message == null) return null;
        Matcher m = OLD_GLIBC.matcher(message);
        if (m.find()) {
            String floor = bundle != null && !bundle.glibc.equals("?") ? bundle.glibc : m.group(1);
            return "this Linux's C library (glibc) is older than " + m.group(1) + ": mumloc's native libraries "
                    + "need glibc " + floor + " or newer (Debian 12, Ubuntu 23.04, Fedora 37 or later)";
        }
        m = OLD_CXX.matcher(message);
        if (m.find())
            return "an older C++ runtime (libstdc++.so.6, without " + m.group(1) + ") was loaded into this "
                    + "Java before mumloc, by Java itself or another plugin; start Fiji with "
                    + "LD_PRELOAD=<the folder above>/libstdc++.so.6";
        m = CANNOT_OPEN.matcher(message);
        if (m.find()) return missing(m.group(1), bundle);
        m = DAMAGED.matcher(message);
        if (m.find())
            return "the library " + m.group(1) + " found on this system is damaged or not one for this machine ("
                    + m.group(2) + ")";
        return null;
    }

    private static String missing(String library, NativeBundle bundle) {
        if (library.startsWith("libcudnn"))
            return "missing library " + library + ": the GPU backend needs NVIDIA's cuDNN 9 (and the NVIDIA "
                    + "driver) installed on this system; the CPU works without them";
        if (library.startsWith("libcuda.so"))
            return "missing library " + library + ": the NVIDIA driver is not installed; the CPU works without it";
        if (bundle != null && bundle.holds(library))
            return "missing library " + library + ", which the plugin carries: its cache folder is incomplete; "
                    + "delete it and restart Fiji";
        return "missing library " + library + ": it is neither in the plugin nor installed on this system";
    }
}
