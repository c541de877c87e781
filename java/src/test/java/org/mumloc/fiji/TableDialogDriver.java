package org.mumloc.fiji;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.frame.Recorder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Drives "MUMLoc Import", "MUMLoc Export", "MUMLoc Render" and "MUMLoc Evaluate" through their
 * dialogs in a real (not headless) ImageJ under Xvfb with the macro recorder on, and replays each
 * recorded line: it must give the same table or write the same file. Run by
 * tests/macro/run.sh as {@code xvfb-run java -Dplugins.dir=... -cp ij.jar:target/test-classes
 * org.mumloc.fiji.TableDialogDriver TRUTH.csv OUTDIR}; prints key=value lines. Not a JUnit test: it
 * needs a display. It uses only ImageJ's API and the commands' titles (compile-time constants): the plugin
 * itself is loaded from the plugins folder.
 */
public final class TableDialogDriver {
    private TableDialogDriver() {
    }

    private static String xColumn(ij.measure.ResultsTable rt) {
        return rt == null ? "none" : rt.size() + " " + Arrays.toString(rt.getColumnAsDoubles(rt.getColumnIndex("x [nm]")));
    }

    public static void main(String[] args) throws Exception {
        String truth = args[0];
        Path out = Paths.get(args[1]);
        Path json = out.resolve("dialog report.json");
        new ImageJ(ImageJ.NO_SHOW);
        Recorder recorder = new Recorder(false);

        // Import: File, Table (both text fields). Replayed: the same table again.
        DialogUser.answer(ImportCommand.TITLE, (numbers, strings) -> {
            strings.get(0).setText(truth);
            strings.get(1).setText("Dialog truth");
        });
        IJ.doCommand(ImportCommand.TITLE);
        String importLine = DialogUser.recorded(recorder, ImportCommand.TITLE, 60000);
        System.out.println("recordedImport=" + importLine);
        // (the plugin's classes live in the plugins folder's class loader: only ImageJ's API is used here)
        ij.measure.ResultsTable imported = ij.measure.ResultsTable.getResultsTable("Dialog truth");
        System.out.println("importedRows=" + (imported == null ? -1 : imported.size()));
        if (imported != null && !importLine.isEmpty()) {
            String before = xColumn(imported);
            imported.reset(); // emptied: only the replay can fill it again
            IJ.runMacro("setBatchMode(true); " + importLine);
            System.out.println("replayedImportIdentical="
                    + before.equals(xColumn(ij.measure.ResultsTable.getResultsTable("Dialog truth"))));
        }

        // Export: Table, File (text fields). The file is the imported CSV byte for byte; replayed: again.
        Path exported = out.resolve("dialog export.csv");
        DialogUser.answer(ExportCommand.TITLE, (numbers, strings) -> {
            strings.get(0).setText("Dialog truth");
            strings.get(1).setText(exported.toString());
        });
        IJ.doCommand(ExportCommand.TITLE);
        String exportLine = DialogUser.recorded(recorder, ExportCommand.TITLE, 60000);
        System.out.println("recordedExport=" + exportLine);
        System.out.println("exportedIdentical=" + (Files.isRegularFile(exported)
                && Arrays.equals(Files.readAllBytes(Paths.get(truth)), Files.readAllBytes(exported))));
        System.out.println("replayedExportIdentical=" + DialogUser.replayWritesSameFile(exportLine, exported));

        // Render: texts Results, In, Field, Out, Zstack; numbers Pixel, Sigma, Sigma_min, Sigma_max,
        // Ash_shifts, Z_min, Z_max, Saturate, Saturate_at, Z_bin, Threads. Shown calibrated in nm;
        // replayed: the same PNG.
        Path png = out.resolve("dialog render.png");
        DialogUser.answer(RenderCommand.TITLE, (numbers, strings) -> {
            strings.get(0).setText("Dialog truth");
            strings.get(3).setText(png.toString());
            numbers.get(0).setText("20");
        });
        IJ.doCommand(RenderCommand.TITLE);
        String renderLine = DialogUser.recorded(recorder, RenderCommand.TITLE, 60000);
        System.out.println("recordedRender=" + renderLine);
        ImagePlus shown = null;
        long until = System.currentTimeMillis() + 30000;
        while ((shown = WindowManager.getImage(RenderCommand.TITLE + " of Dialog truth")) == null
                && System.currentTimeMillis() < until) Thread.sleep(50);
        System.out.println("renderShown=" + (shown == null ? "none" : shown.getBitDepth() + "-bit, "
                + shown.getCalibration().pixelWidth + " " + shown.getCalibration().getUnit()));
        System.out.println("replayedRenderIdentical=" + DialogUser.replayWritesSameFile(renderLine, png));

        // Evaluate: text fields Results, In, Ground_truth, Truth, Json, Depth_plot, Histogram; numbers
        // Tolerance, Tolerance_xy, Tolerance_z, Bin, Pixel_size, Histogram_bin. Three plots: depth, lateral
        // histogram, sub-pixel histogram.
        int imagesBefore = WindowManager.getImageCount();
        DialogUser.answer(EvaluateCommand.TITLE, (numbers, strings) -> {
            strings.get(0).setText("Dialog truth");
            strings.get(2).setText("Dialog truth");
            strings.get(4).setText(json.toString());
            numbers.get(0).setText("100");
            numbers.get(3).setText("400");
        });
        IJ.doCommand(EvaluateCommand.TITLE);
        String line = DialogUser.recorded(recorder, EvaluateCommand.TITLE, 60000);
        System.out.println("recordedEvaluate=" + line);
        long end = System.currentTimeMillis() + 30000;
        while (WindowManager.getImageCount() < imagesBefore + 3 && System.currentTimeMillis() < end) Thread.sleep(50);
        System.out.println("plotsShown=" + (WindowManager.getImageCount() - imagesBefore));
        String first = Files.exists(json) ? new String(Files.readAllBytes(json), StandardCharsets.UTF_8) : "";
        System.out.println("jsonJaccard1=" + first.contains("\"jaccard\":1,"));
        System.out.println("jsonTolerance100=" + first.contains("\"nm\":100}"));

        // Replaying the recorded line writes the same report.
        if (!line.isEmpty()) {
            Files.deleteIfExists(json);
            Recorder.record = false;
            IJ.runMacro("setBatchMode(true); " + line);
            String second = Files.exists(json) ? new String(Files.readAllBytes(json), StandardCharsets.UTF_8) : "";
            System.out.println("replayedIdentical=" + (!second.isEmpty() && second.equals(first)));
        }
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }
}
