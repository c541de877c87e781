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
    private final Thread thread;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream old = System.out;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private HeadlessRun(PlugIn command, String options) {
        System.setOut(new PrintStream(captured, true));
        thread = new Thread(() -> {
            Macro.setOptions(options);
            try {
                command.run("");
            } finally {
                Macro.setOptions(null);
            }
        }, "Run$_headless-test");
        thread.setUncaughtExceptionHandler((th, e) -> failure.set(e));
        thread.start();
    }

    /**
     * Runs command with these macro options on a thread named "Run$_…" (ImageJ hands macro options
     * only to such threads) and returns what it logged; fails the test if it threw or logged an
     * exception.
     */
    static String run(PlugIn command, String options) throws InterruptedException {
        return start(command, options).finish(0);
    }

    /** Starts the command as {@link #run} does, for a test that acts while it runs (e.g. presses Esc). */
    static HeadlessRun start(PlugIn command, String options) {
        return new HeadlessRun(command, options);
    }

    /** What the command has logged so far. */
    String log() {
        return new String(captured.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Waits until the log holds text or the command ended; true if the text came. */
    boolean awaitLog(String text) throws InterruptedException {
        while (!log().contains(text) && thread.isAlive()) Thread.sleep(10);
        return log().contains(text);
    }

    /**
     * Waits for the command to end (at most limitMs; 0 = no limit: only a guard against a hang, not
     * a timing check) and returns its log, with the checks of {@link #run}.
     */
    String finish(long limitMs) throws InterruptedException {
        try {
            thread.join(limitMs);
        } finally {
            System.setOut(old);
        }
        String log = log();
        assertFalse(thread.isAlive(), "the command did not end within " + limitMs + " ms: " + log);
        assertNull(failure.get(), () -> "the command threw " + failure.get());
        assertFalse(log.contains("Exception"), log);
        return log;
    }
}
