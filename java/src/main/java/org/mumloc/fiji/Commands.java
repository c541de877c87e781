package org.mumloc.fiji;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;

import java.awt.GraphicsEnvironment;

import org.mumloc.MumlocException;
import org.mumloc.ProgressListener;

/**
 * What every MUMLoc command shares: running its body with user-facing error reporting, knowing whether
 * it may open windows, and progress/cancellation through ImageJ.
 */
public final class Commands {
    private Commands() {
    }

    /** True when no window or dialog may be created (Fiji --headless, java.awt.headless=true). */
    public static boolean isHeadless() {
        return GraphicsEnvironment.isHeadless();
    }

    /** True inside a batch-mode macro (windows may exist but are not to be shown). */
    public static boolean isBatchMode() {
        return Interpreter.isBatchMode();
    }

    /** The body of a command. */
    public interface Body {
        void run();
    }

    /**
     * Runs a command's body. User errors, library failures and Java running out of memory become one
     * message (a dialog, or a log line when headless) and end the calling macro; a cancellation (Esc) says so in the status bar
     * and the Log, and the macro goes on. Anything else is a bug and is reported with its stack trace by ImageJ.
     */
    public static void run(String title, Body body) {
        try {
            body.run();
        } catch (MumlocException e) {
            if (e.isCancelled()) {
                // Said in the Log too: the status bar alone is gone at the next message.
                if (!isHeadless()) IJ.showProgress(1.0);
                String message = e.getMessage();
                String line = title + ": " + (message.startsWith("cancelled") ? message : "cancelled (Esc): " + message);
                IJ.log(line);
                if (!isHeadless()) IJ.showStatus(line);
                return;
            }
            fail(title, e.getMessage());
        } catch (UserError e) {
            fail(title, e.getMessage());
        } catch (OutOfMemoryError e) {
            // ImageJ would only log this and let the macro go on without the command's result.
            fail(title, "Java ran out of memory (" + e.getMessage() + "); give ImageJ more memory (Edit > Options > "
                    + "Memory & Threads; it has " + (IJ.maxMemory() >> 20) + " MB now) or work on a smaller part");
        }
    }

    /**
     * Reports an error to the user and stops the calling macro, if any. With ImageJ's window open this
     * is IJ.error (inside a macro ImageJ shows it as the macro's error and ends the macro). Without it
     * (headless, or {@code ij.jar -batch} on a server) a modal dialog would wait forever for a click, so
     * the message goes to the log (standard output) and the macro is ended quietly.
     */
    public static void fail(String title, String message) {
        if (isHeadless() || IJ.getInstance() == null) {
            IJ.log(title + ": error: " + message);
            if (IJ.isMacro() || Macro.getOptions() != null) {
                Interpreter macro = Interpreter.getInstance();
                if (macro != null) macro.abortMacro(); // as Esc does: no dialog
                else Macro.abort();
            }
        } else {
            IJ.error(title, message);
        }
    }

    /** A status-bar line, or a log line when headless (where there is no status bar). */
    public static void status(String message) {
        if (isHeadless()) IJ.log(message);
        else IJ.showStatus(message);
    }

    /**
     * Forwards library progress to ImageJ's progress bar (to the log every 10 % when headless) and
     * cancels when the user presses Esc.
     */
    public static ProgressListener progress(String title) {
        final boolean headless = isHeadless();
        return new ProgressListener() {
            private int lastTenth = -1;

            @Override
            public boolean progress(long done, long total) {
                if (total > 0) {
                    if (headless) {
                        int tenth = (int) Math.min(10, done * 10 / total);
                        if (tenth != lastTenth && tenth < 10) IJ.log(title + ": " + tenth * 10 + " %");
                        lastTenth = tenth;
                    } else {
                        IJ.showProgress((double) done / total);
                    }
                }
                return IJ.escapePressed();
            }
        };
    }
}
