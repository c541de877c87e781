package org.mumloc.fiji;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;
import java.awt.Button;
import java.awt.Choice;
import java.awt.EventQueue;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Vector;

/**
 * Plays the user for the dialog drivers (DialogDriver, TableDialogDriver, LocalizeTrainDialogDriver):
 * waits for a dialog, fills its fields on the event thread, presses OK, and reads what the macro
 * recorder wrote. The drivers run in a real ImageJ under Xvfb, not in JUnit.
 */
final class DialogUser {
    private DialogUser() {
    }

    /** The showing GenericDialog of that title, or null after timeoutMs. */
    static GenericDialog waitForDialog(String title, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            for (Window w : Window.getWindows())
                if (w instanceof GenericDialog && w.isShowing() && title.equals(((GenericDialog) w).getTitle()))
                    return (GenericDialog) w;
            Thread.sleep(50);
        }
        return null;
    }

    /** Fills a dialog's numeric and string fields (called on the event thread). */
    interface Filler {
        void fill(Vector<TextField> numbers, Vector<TextField> strings);
    }

    /**
     * Starts a thread that answers the dialog `title` as a user would: fills it, then presses OK.
     * Prints "dialog=shown TITLE" and "fields TITLE=N numbers, S texts, C choices" (texts include the
     * file fields); exits the JVM (3) if the dialog never appears, (4) on an error.
     */
    static Thread answer(String title, Filler filler) {
        Thread user = new Thread(() -> {
            try {
                GenericDialog gd = waitForDialog(title, 60000);
                if (gd == null) {
                    System.out.println("dialog=none " + title);
                    System.out.flush();
                    System.exit(3);
                }
                System.out.println("dialog=shown " + title);
                @SuppressWarnings("unchecked")
                Vector<TextField> numbers = gd.getNumericFields();
                @SuppressWarnings("unchecked")
                Vector<TextField> strings = gd.getStringFields();
                @SuppressWarnings("unchecked")
                Vector<Choice> choices = gd.getChoices();
                System.out.println("fields " + title + "=" + size(numbers) + " numbers, " + size(strings)
                        + " texts, " + size(choices) + " choices");
                EventQueue.invokeAndWait(() -> filler.fill(numbers, strings));
                Button ok = gd.getButtons()[0];
                EventQueue.invokeLater(() -> gd.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK")));
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(4);
            }
        }, "dialog-user");
        user.start();
        return user;
    }

    /**
     * Replays a recorded run(...) line in batch mode after deleting the file it wrote; true when the
     * replay writes the same bytes again. The recorder's state is kept (replays are not recorded).
     */
    static boolean replayWritesSameFile(String line, Path file) throws IOException {
        if (line.isEmpty() || !Files.isRegularFile(file)) return false;
        byte[] first = Files.readAllBytes(file);
        Files.delete(file);
        boolean recording = Recorder.record;
        Recorder.record = false;
        try {
            IJ.runMacro("setBatchMode(true); " + line);
        } finally {
            Recorder.record = recording;
        }
        return Files.isRegularFile(file) && Arrays.equals(first, Files.readAllBytes(file));
    }

    private static int size(Vector<?> fields) {
        return fields == null ? 0 : fields.size(); // GenericDialog gives null for a kind it lacks
    }

    /** The recorder's run("COMMAND", ...) line, waiting up to timeoutMs for it; "" if none came. */
    static String recorded(Recorder recorder, String command, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            for (String line : recorder.getText().split("\n"))
                if (line.startsWith("run(\"" + command + "\"")) return line;
            Thread.sleep(50);
        }
        return "";
    }
}
