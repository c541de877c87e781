package org.mumloc.fiji;

import ij.IJ;
import ij.ImageJ;
import ij.Prefs;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Drives "MUMLoc Localize" and "MUMLoc Train" through their dialogs in a real (not headless) ImageJ
 * under Xvfb with the recorder on: fields typed, OK pressed, the recorded lines printed and replayed
 * (the same CSV, model and optics files again), the camera value remembered in ij.Prefs, the live
 * loss plot shown. Run by tests/macro/run.sh as
 * {@code xvfb-run java -Dplugins.dir=... -cp ij.jar:target/test-classes org.mumloc.fiji.LocalizeTrainDialogDriver
 * MODEL OUTDIR}; prints key=value lines. Not a JUnit test: it needs a display.
 */
public final class LocalizeTrainDialogDriver {
    private LocalizeTrainDialogDriver() {
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        String dir = args[1];
        new ImageJ(ImageJ.NO_SHOW);
        IJ.runMacro("run(\"MUMLoc Simulate\", \"frames=2 size=16 molecules=2 seed=3\");");
        Recorder recorder = new Recorder(false);

        // Localize: fields in the order of the form (numbers: offset, gain, em_gain, read_noise, ...;
        // strings: in, rig, optics, model, csv, drift_csv, png; refine stays the default, positions).
        DialogUser.answer(LocalizeCommand.TITLE, (numbers, strings) -> {
            numbers.get(3).setText("2.5");
            strings.get(3).setText(model);
            strings.get(4).setText(dir + "/dialog.csv");
        });
        IJ.doCommand(LocalizeCommand.TITLE);
        String localizeLine = DialogUser.recorded(recorder, LocalizeCommand.TITLE, 90000);
        System.out.println("recordedLocalize=" + localizeLine);
        ResultsTable rt = ResultsTable.getResultsTable(LocalizeCommand.RESULTS);
        System.out.println("resultsShown=" + (rt != null && rt.size() > 0));
        Path csv = Paths.get(dir, "dialog.csv");
        System.out.println("csvWritten=" + Files.isRegularFile(csv));
        System.out.println("rememberedReadNoise=" + Prefs.get("mumloc.localize.read_noise", "none"));
        System.out.println("replayedLocalizeIdentical=" + DialogUser.replayWritesSameFile(localizeLine, csv));

        // Train: numbers background, read_noise, em_gain, gain, offset, molecules, molecules_min, density, steps,
        // epochs, frames_per_epoch, batch, lr, seed, validation_frames, validation_interval, threads;
        // strings optics, save_optics, rig, size, resume, out. The schedule as 1 epoch of 6 frames in
        // batches of 2 (3 steps); the optics written beside the model. Replayed: the same files.
        Path modelFile = Paths.get(dir, "dialog model.safetensors");
        Path opticsFile = Paths.get(dir, "dialog optics.json");
        DialogUser.answer(TrainCommand.TITLE, (numbers, strings) -> {
            numbers.get(5).setText("2");
            numbers.get(8).setText("0");
            numbers.get(9).setText("1");
            numbers.get(10).setText("6");
            numbers.get(11).setText("2");
            numbers.get(14).setText("2");
            numbers.get(16).setText("1");
            strings.get(1).setText(opticsFile.toString());
            strings.get(3).setText("16");
            strings.get(5).setText(modelFile.toString());
        });
        IJ.doCommand(TrainCommand.TITLE);
        String trainLine = DialogUser.recorded(recorder, TrainCommand.TITLE, 90000);
        System.out.println("recordedTrain=" + trainLine);
        System.out.println("modelWritten=" + Files.isRegularFile(modelFile));
        System.out.println("opticsWritten=" + Files.isRegularFile(opticsFile));
        System.out.println("plotShown=" + (WindowManager.getImage(TrainCommand.TITLE + " loss") != null));
        byte[] optics = Files.isRegularFile(opticsFile) ? Files.readAllBytes(opticsFile) : new byte[0];
        System.out.println("replayedTrainIdentical=" + DialogUser.replayWritesSameFile(trainLine, modelFile));
        System.out.println("replayedOpticsIdentical=" + (Files.isRegularFile(opticsFile)
                && Arrays.equals(optics, Files.readAllBytes(opticsFile))));
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }
}
