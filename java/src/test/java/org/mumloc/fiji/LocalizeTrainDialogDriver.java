package org.mumloc.fiji;

import ij.IJ;
import ij.ImageJ;
import ij.Prefs;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;

import java.io.File;

/**
 * Drives "MUMLoc Localize" and "MUMLoc Train" through their dialogs in a real (not headless) ImageJ
 * under Xvfb with the recorder on: fields typed, OK pressed, the recorded lines printed, the camera
 * value remembered in ij.Prefs, the live loss plot shown. Run by tests/macro/run.sh as
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
        // strings: in, model, csv, png).
        DialogUser.answer(LocalizeCommand.TITLE, (numbers, strings) -> {
            numbers.get(3).setText("2.5");
            strings.get(1).setText(model);
            strings.get(2).setText(dir + "/dialog.csv");
        });
        IJ.doCommand(LocalizeCommand.TITLE);
        System.out.println("recordedLocalize=" + DialogUser.recorded(recorder, LocalizeCommand.TITLE, 90000));
        ResultsTable rt = ResultsTable.getResultsTable(LocalizeCommand.RESULTS);
        System.out.println("resultsShown=" + (rt != null && rt.size() > 0));
        System.out.println("csvWritten=" + new File(dir + "/dialog.csv").isFile());
        System.out.println("rememberedReadNoise=" + Prefs.get("mumloc.localize.read_noise", "none"));

        // Train: numbers background, read_noise, em_gain, gain, offset, molecules, density, steps, batch,
        // lr, seed, validation_frames, validation_interval, threads; strings optics, size, out.
        DialogUser.answer(TrainCommand.TITLE, (numbers, strings) -> {
            numbers.get(5).setText("2");
            numbers.get(7).setText("3");
            numbers.get(8).setText("2");
            numbers.get(11).setText("2");
            numbers.get(13).setText("1");
            strings.get(1).setText("16");
            strings.get(2).setText(dir + "/dialog model.safetensors");
        });
        IJ.doCommand(TrainCommand.TITLE);
        System.out.println("recordedTrain=" + DialogUser.recorded(recorder, TrainCommand.TITLE, 90000));
        System.out.println("modelWritten=" + new File(dir + "/dialog model.safetensors").isFile());
        System.out.println("plotShown=" + (WindowManager.getImage(TrainCommand.TITLE + " loss") != null));
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }
}
