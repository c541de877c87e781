package org.mumloc.fiji;

import ij.IJ;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import ij.plugin.PlugIn;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mumloc.Device;
import org.mumloc.Optics;
import org.mumloc.Training;

/**
 * Plugins › MUMLoc › "MUMLoc Train": trains a network on frames simulated on the fly (the library's
 * mumloc_train, as {@code mumloc train}) and saves the model file ({@code out=}, required). Shows
 * progress and a live plot of the training loss, with the validation loss and Jaccard index at the
 * validation points; Esc stops training and the model so far is saved (a valid model, which
 * {@code resume=} continues). The optics come from {@code optics=} (a JSON file; empty = the defaults)
 * and can be written with {@code save_optics=}; {@code rig=} (a rig file from MUMLoc Calibrate or
 * {@code mumloc calibrate}) trains for that rig instead: its per-plane optics and transmissions, each
 * camera's offset, gain, EM gain and read noise, frames registered onto camera 1; the schedule is {@code steps}, or with steps=0
 * {@code epochs} x {@code frames_per_epoch}. Keys are the CLI's options ('_' for '-'):
 * {@code run("MUMLoc Train", "arch=regression size=32 steps=200 batch=8 out=[/data/model.safetensors]")}.
 */
public class TrainCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Train";
    static final String[] NO_YES = {"no", "yes"};

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form() {
        Training.Options d = new Training.Options();
        OptionForm f = new OptionForm(TITLE);
        f.choice("Arch (network)", Training.archNames(), d.arch);
        f.message("Optics (science.md's defaults, or a JSON file as for mumloc simulate --optics)");
        f.file("Optics (JSON file; empty = the default optics)", "");
        f.file("Save_optics (write the optics used to this JSON file; empty = no)", "");
        f.file("Rig (rig file: train for that rig's optics and cameras; empty = none)", "");
        f.message("Camera of the simulated training frames");
        Forms.cameraFields(f, d.camera);
        f.message("Frames");
        f.string("Size (W or WxH pixels)", Integer.toString(d.width), 8);
        f.number("Molecules (per frame)", d.molecules);
        f.number("Molecules_min (> 0: each frame uniform in min..molecules)", d.moleculesMin);
        f.number("Density (per um2; > 0 replaces molecules)", d.densityPerUm2);
        f.message("Schedule: steps, or (steps = 0) epochs x frames per epoch");
        f.number("Steps (0 = epochs x frames_per_epoch / batch)", d.steps);
        f.number("Epochs (0 = the network's: regression 20, voxel 30)", d.epochs);
        f.number("Frames_per_epoch (0 = the network's: 100000, 90000)", d.framesPerEpoch);
        f.number("Batch (frames per step)", d.batch);
        f.number("Lr (Adam learning rate)", d.lr);
        f.number("Seed", d.seed);
        f.number("Validation_frames", d.validationFrames);
        f.number("Validation_interval (steps; 0 = each epoch, with steps at the end)", d.validationInterval);
        f.choice("Tune_threshold (keep the best final validation Jaccard's)", NO_YES, NO_YES[0]);
        f.file("Resume (continue this model file; empty = start afresh)", "");
        f.choice("Device", LocalizeCommand.DEVICES, d.device);
        f.number("Threads (0 = all cores)", 0);
        f.file("Out (model file, .safetensors)", "");
        return f;
    }

    private void execute() {
        OptionForm f = form();
        if (!Forms.read(f, "steps=200 size=32 batch=8 out=[/path/model.safetensors]")) return;
        Training.Options o = new Training.Options();
        o.arch = Training.archNames()[f.choiceIndex("arch")];
        o.opticsPath = Tables.pathOrNull(f.string("optics"));
        o.rigPath = Tables.pathOrNull(f.string("rig"));
        o.camera = Forms.camera(f);
        int[] size = parseSize(f.string("size"));
        o.width = size[0];
        o.height = size[1];
        o.molecules = f.integer("molecules");
        o.moleculesMin = f.integer("molecules_min");
        o.densityPerUm2 = f.number("density");
        o.steps = f.wholeNumber("steps", 0, Long.MAX_VALUE / 2);
        o.epochs = (int) f.wholeNumber("epochs", 0, Integer.MAX_VALUE);
        o.framesPerEpoch = f.wholeNumber("frames_per_epoch", 0, Long.MAX_VALUE / 2);
        o.batch = f.integer("batch");
        o.lr = f.number("lr");
        o.seed = f.wholeNumber("seed", 0, Long.MAX_VALUE / 2);
        o.validationFrames = f.integer("validation_frames");
        o.validationInterval = f.wholeNumber("validation_interval", 0, Long.MAX_VALUE / 2);
        o.tuneThreshold = f.choiceIndex("tune_threshold") == 1;
        o.device = f.string("device");
        o.threads = (int) f.wholeNumber("threads", 0, 4096);
        o.resumePath = Tables.pathOrNull(f.string("resume"));
        o.out = Tables.pathOrNull(f.string("out"));
        if (o.out == null) throw new UserError("out: give the model file to write, e.g. out=[/path/model.safetensors]");
        String saveOptics = Tables.pathOrNull(f.string("save_optics"));
        if (o.rigPath != null && (o.opticsPath != null || saveOptics != null))
            throw new UserError((o.opticsPath != null ? "optics" : "save_optics")
                    + ": not with rig=: the rig file holds the optics (the model records them)");
        // Read now, so that a bad optics file fails before training; written with the model.
        Optics optics = o.opticsPath == null ? Optics.defaults() : Optics.load(o.opticsPath);
        Device device = Device.resolve(o.device);
        IJ.resetEscape();
        Progress progress = new Progress(Commands.isHeadless() || Commands.isBatchMode());
        IJ.log(TITLE + ": training a " + o.arch + " network, " + schedule(o) + ", batches of " + o.batch
                + " frames of " + o.width + "x" + o.height + (o.rigPath != null ? " for the rig " + o.rigPath : "")
                + (o.resumePath != null ? ", resuming " + o.resumePath : "")
                + " on " + device.reason);
        boolean complete = Training.train(o, progress);
        if (saveOptics != null) {
            optics.save(saveOptics);
            IJ.log(TITLE + ": wrote the optics to " + saveOptics);
        }
        if (!Commands.isHeadless()) IJ.showProgress(1.0);
        String summary = TITLE + ": " + (complete ? "done" : "stopped (Esc) at step " + progress.lastStep + " of "
                + progress.total + "; the model so far is saved (continue it with resume=[its file])") + ", wrote "
                + o.out + progress.validationSummary();
        IJ.log(summary);
        if (!Commands.isHeadless()) IJ.showStatus(summary);
    }

    /** The schedule in words: "N steps" or "E epochs of F frames" (0: the network's default). */
    static String schedule(Training.Options o) {
        if (o.steps > 0) return o.steps + " steps";
        return (o.epochs > 0 ? o.epochs + " epochs" : "the network's epochs") + " of "
                + (o.framesPerEpoch > 0 ? o.framesPerEpoch + " frames" : "the network's frames per epoch");
    }

    /** "W" or "WxH" → {W, H}. */
    static int[] parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int x = t.indexOf('x');
        try {
            int w = Integer.parseInt(x < 0 ? t : t.substring(0, x).trim());
            int h = x < 0 ? w : Integer.parseInt(t.substring(x + 1).trim());
            return new int[] {w, h};
        } catch (NumberFormatException e) {
            throw new UserError("size: expected W or WxH in pixels (e.g. 64 or 64x32), got '" + text + "'");
        }
    }

    /** Progress bar, status, log lines and the live loss plot, fed by the library's per-step callback. */
    static final class Progress implements Training.Listener {
        private final boolean quiet; // headless or batch mode: no windows, progress to the log
        private final List<Double> steps = new ArrayList<>(), losses = new ArrayList<>();
        private final List<Double> valSteps = new ArrayList<>(), valLosses = new ArrayList<>(),
                jaccards = new ArrayList<>();
        private PlotWindow window;
        private long lastDraw;
        private int lastTenth = -1;
        long lastStep, total;
        private String lastValidation = "";

        Progress(boolean quiet) {
            this.quiet = quiet;
        }

        @Override
        public boolean step(long step, long total, double trainLoss, double lr, boolean validated, double valLoss,
                double valJaccard, double valRmseXy, double valRmseZ, double seconds) {
            lastStep = step;
            this.total = total;
            steps.add((double) step);
            losses.add(trainLoss);
            if (validated) {
                valSteps.add((double) step);
                valLosses.add(valLoss);
                jaccards.add(valJaccard);
                lastValidation = String.format(Locale.ROOT, "; validation at step %d: loss %.4g, Jaccard %.3f, "
                        + "RMSE xy %.1f nm, z %.1f nm", step, valLoss, valJaccard, valRmseXy, valRmseZ);
                IJ.log(TITLE + lastValidation.substring(1));
            }
            if (quiet) {
                int tenth = (int) Math.min(10, step * 10 / total);
                if (tenth != lastTenth && tenth < 10)
                    IJ.log(String.format(Locale.ROOT, "%s: %d %% (step %d, loss %.4g)", TITLE, tenth * 10, step,
                            trainLoss));
                lastTenth = tenth;
            } else {
                IJ.showProgress((double) step / total);
                IJ.showStatus(String.format(Locale.ROOT, "%s: step %d of %d, loss %.4g (Esc stops and saves)", TITLE,
                        step, total, trainLoss));
                long now = System.currentTimeMillis();
                if (validated || step == total || now - lastDraw > 500) {
                    draw();
                    lastDraw = now;
                }
            }
            return IJ.escapePressed();
        }

        private static double[] array(List<Double> values) {
            double[] a = new double[values.size()];
            for (int i = 0; i < a.length; i++) a[i] = values.get(i);
            return a;
        }

        /** The loss plot: training loss per step (line), validation loss (circles) and Jaccard (text). */
        Plot plot() {
            Plot plot = new Plot(TITLE + " loss", "step", "loss per frame");
            plot.setColor(Color.BLUE);
            plot.addPoints(array(steps), array(losses), Plot.LINE);
            if (!valSteps.isEmpty()) {
                plot.setColor(Color.RED);
                plot.addPoints(array(valSteps), array(valLosses), Plot.CIRCLE);
                plot.setColor(Color.BLACK);
                plot.addLabel(0.02, 0.08, String.format(Locale.ROOT, "validation: loss %.4g, Jaccard %.3f",
                        valLosses.get(valLosses.size() - 1), jaccards.get(jaccards.size() - 1)));
            }
            plot.setLegend("training loss\tvalidation loss", Plot.AUTO_POSITION);
            plot.setLimitsToFit(false);
            return plot;
        }

        private void draw() {
            Plot plot = plot();
            if (window == null || window.isClosed()) window = plot.show();
            else window.drawPlot(plot);
        }

        String validationSummary() {
            return lastValidation;
        }
    }
}
