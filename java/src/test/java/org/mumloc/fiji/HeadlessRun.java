package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ij.Macro;
import ij.plugin.PlugIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a command the way run("...", options) in a headless macro does, for the headless tests. */
final class HeadlessRun {
    private HeadlessRun() {}

    /**
     * Runs command with these macro options on a thread named "Run$_…" (ImageJ hands macro options
     * only to such threads) and returns what it logged; fails the test if it threw or logged an
     * exception.
     */
    static String run(PlugIn command, String options) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true));
        try {
            Thread t = new Thread(() -> {
                Macro.setOptions(options);
                try {
                    command.run("");
                } finally {
                    Macro.setOptions(null);
                }
            }, "Run$_headless-test");
            t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
            t.start();
            t.join();
        } finally {
            System.setOut(old);
        }
        String log = new String(captured.toByteArray(), StandardCharsets.UTF_8);
        assertNull(failure.get(), () -> "the command threw " + failure.get());
        assertFalse(log.contains("Exception"), log);
        return log;
    }
}
