package org.mumloc.fiji;

import ij.IJ;
import ij.ImageJ;
import ij.WindowManager;
import ij.plugin.frame.Recorder;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Drives "MUMLoc Merge", "MUMLoc Filter" and "MUMLoc Resolution (FRC)" through their dialogs in a
 * real (not headless) ImageJ under Xvfb with the macro recorder on, and replays each recorded line:
 * it must write the same file again. Run by tests/macro/run.sh as {@code xvfb-run java
 * -Dplugins.dir=... -cp ij.jar:target/test-classes org.mumloc.fiji.PostprocessDialogDriver TABLE.csv
 * OUTDIR} (TABLE: 4 frames of 5 molecules); prints key=value lines. Not a JUnit test: it needs a
 * display.
 */
public final class PostprocessDialogDriver {
    private PostprocessDialogDriver() {
    }

    public static void main(String[] args) throws Exception {
        String table = args[0];
        Path out = Paths.get(args[1]);
        new ImageJ(ImageJ.NO_SHOW);
        Recorder recorder = new Recorder(false);

        // Merge: texts Results, In, Output, Out; numbers Pixel_size, Distance, Distance_xy, Distance_z,
        // Off_frames, Max_frames.
        Path merged = out.resolve("dialog merged.csv");
        DialogUser.answer(MergeCommand.TITLE, (numbers, strings) -> {
            strings.get(1).setText(table);
            strings.get(2).setText("Dialog merged");
            strings.get(3).setText(merged.toString());
            numbers.get(1).setText("40");
        });
        IJ.doCommand(MergeCommand.TITLE);
        String line = DialogUser.recorded(recorder, MergeCommand.TITLE, 60000);
        System.out.println("recordedMerge=" + line);
        System.out.println("replayedMergeIdentical=" + DialogUser.replayWritesSameFile(line, merged));

        // Filter: texts Results, In, Expression, Output, Out; numbers Pixel_size, Density_radius,
        // Density_min; choice Density_3d.
        Path kept = out.resolve("dialog filtered.csv");
        DialogUser.answer(FilterCommand.TITLE, (numbers, strings) -> {
            strings.get(0).setText("Dialog merged");
            strings.get(2).setText("intensity > 0 & z >= 0");
            strings.get(3).setText("Dialog filtered");
            strings.get(4).setText(kept.toString());
        });
        IJ.doCommand(FilterCommand.TITLE);
        line = DialogUser.recorded(recorder, FilterCommand.TITLE, 60000);
        System.out.println("recordedFilter=" + line);
        System.out.println("replayedFilterIdentical=" + DialogUser.replayWritesSameFile(line, kept));

        // FRC: texts Results, In, Plot, Curve; numbers Pixel_size, Pixel, Block_frames, Seed,
        // Threshold, Smooth; choice Split. Frames 1, 3 against 2, 4 (blocks of 1 frame).
        Path curve = out.resolve("dialog frc.csv");
        int imagesBefore = WindowManager.getImageCount();
        DialogUser.answer(FrcCommand.TITLE, (numbers, strings) -> {
            strings.get(1).setText(table);
            strings.get(3).setText(curve.toString());
            numbers.get(2).setText("1");
        });
        IJ.doCommand(FrcCommand.TITLE);
        line = DialogUser.recorded(recorder, FrcCommand.TITLE, 60000);
        System.out.println("recordedFrc=" + line);
        long end = System.currentTimeMillis() + 30000;
        while (WindowManager.getImageCount() < imagesBefore + 1 && System.currentTimeMillis() < end) Thread.sleep(50);
        System.out.println("frcPlotShown=" + (WindowManager.getImageCount() > imagesBefore));
        System.out.println("replayedFrcIdentical=" + DialogUser.replayWritesSameFile(line, curve));
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }
}
