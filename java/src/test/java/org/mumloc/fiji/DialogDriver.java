package org.mumloc.fiji;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.frame.Recorder;

/**
 * Drives "MUMLoc Simulate" through its dialog in a real (not headless) ImageJ under Xvfb, with the
 * macro recorder on, then replays the recorded line. Run by tests/macro/run.sh as
 * {@code xvfb-run java -Dplugins.dir=... -cp ij.jar:target/test-classes org.mumloc.fiji.DialogDriver};
 * it uses only ImageJ's API (the plugin itself comes from the plugins folder) and prints key=value
 * lines for the script to check. Not a JUnit test: it needs a display.
 */
public final class DialogDriver {
    private DialogDriver() {
    }

    private static String describe(ImagePlus imp) {
        if (imp == null) return "none";
        return imp.getWidth() + "x" + imp.getHeight() + "x" + imp.getNChannels() + "x" + imp.getNSlices() + "x"
                + imp.getNFrames() + " bitDepth=" + imp.getBitDepth();
    }

    private static boolean samePixels(ImagePlus a, ImagePlus b) {
        if (a.getStackSize() != b.getStackSize()) return false;
        for (int i = 1; i <= a.getStackSize(); i++) {
            float[] pa = (float[]) a.getStack().getPixels(i);
            float[] pb = (float[]) b.getStack().getPixels(i);
            if (!java.util.Arrays.equals(pa, pb)) return false;
        }
        return true;
    }

    public static void main(String[] args) throws Exception {
        new ImageJ(ImageJ.NO_SHOW);
        Recorder recorder = new Recorder(false);
        DialogUser.answer(SimulateCommand.TITLE, (numbers, strings) -> {
            numbers.get(0).setText("3");        // Frames
            numbers.get(1).setText("4");        // Molecules
            strings.get(0).setText("24x16");    // Size
            strings.get(1).setText("99");       // Seed
        });
        // As a menu click does: the command runs on its own thread, so the recorder records it.
        IJ.doCommand(SimulateCommand.TITLE);
        String recorded = DialogUser.recorded(recorder, SimulateCommand.TITLE, 60000);
        ImagePlus first = WindowManager.getCurrentImage();
        System.out.println("interactive=" + describe(first));
        System.out.println("recorded=" + recorded);

        // Replaying the recorded line gives the same movie.
        if (!recorded.isEmpty()) {
            Recorder.record = false;
            IJ.runMacro(recorded);
            ImagePlus second = WindowManager.getCurrentImage();
            System.out.println("replayed=" + describe(second));
            System.out.println("replayedIdentical=" + (second != null && second != first && samePixels(first, second)));
        }
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }
}
