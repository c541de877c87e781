package org.mumloc.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.io.FileInfo;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.mumloc.Device;
import org.mumloc.Localizer;
import org.mumloc.Model;
import org.mumloc.Mumloc;
import org.mumloc.MumlocException;
import org.mumloc.Optics;
import org.mumloc.Rendering;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Localize": localizes the molecules of a multifocal-plane movie (the
 * current image, or {@code in=} a TIFF file) with a trained model through the library's streaming
 * localizer, fed batch by batch from the ImageJ stack (a virtual stack loads only one batch at a time).
 * The localizations go to the results table "MUMLoc Results" (the library's ThunderSTORM columns),
 * optionally to a CSV written by the library ({@code csv=}) and to a rendering ({@code render=yes},
 * {@code png=}). {@code refine=positions|drift} adds the library's maximum-likelihood refinement; with
 * {@code drift} the per-frame plane drift goes to the table "MUMLoc Drift" and optionally to a CSV
 * ({@code drift_csv=}, the CLI's {@code --drift-out} file). {@code precision=fp32|bf16|auto} is the
 * network's arithmetic (the CLI's {@code --precision}; auto: bf16 where the CPU has it). Keys are the CLI's options ('_' for '-'):
 * {@code run("MUMLoc Localize", "model=[/data/model.safetensors] planes=channels csv=[/data/locs.csv]")}.
 * The camera values of the dialog are remembered across sessions (ij.Prefs). A movie that records its
 * optics (mumloc's record in its Info or TIFF description) must have the model's; Esc stops after the
 * current batch with no table and no file.
 *
 * <p>A calibrated rig ({@code rig=[rig.json]}, from "MUMLoc Calibrate" or {@code mumloc calibrate}):
 * {@code in=} is its raw data, read by the library in the rig's layout ({@code layout=} overrides it;
 * for {@code layout=files} the cameras' files separated by commas), each camera converted with its
 * own offset and gains (the camera fields are then unused), registered onto camera 1 for the network
 * and fitted on its raw frames through the exact affine ({@code mumloc localize --rig}); refine=none
 * becomes positions so that no interpolation error reaches the table.
 */
public class LocalizeCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Localize";
    public static final String RESULTS = ExportCommand.DEFAULT_TABLE;
    /** The drift table of refine=drift. */
    public static final String DRIFT = "MUMLoc Drift";
    static final String METHOD_NETWORK = "network";
    static final String METHOD_CS = "cs";

    /** Where the bundled models (mumloc_bundled_model_file) would be inside the jar. */
    static final String BUNDLED_FOLDER = "/test-data/";
    static final String[] DEVICES = {"auto", "cpu", "cuda"};
    static final String[] NO_YES = {"no", "yes"};
    private static final String[] CAMERA_KEYS = {"offset", "gain", "em_gain", "read_noise"};
    /** layout= choices: the rig file's, or one of the library's layout names. */
    static String[] layouts() {
        String[] names = org.mumloc.Calibration.layoutNames();
        String[] out = new String[names.length + 1];
        out[0] = "rig";
        System.arraycopy(names, 0, out, 1, names.length);
        return out;
    }

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form() {
        OptionForm f = new OptionForm(TITLE);
        f.message("Movie: the current image, or a TIFF file");
        f.file("In (TIFF movie; replaces the current image)", "");
        f.choice("Planes (where the focal planes are)", PlaneLayout.axes(), "auto");
        f.file("Rig (rig file of a calibrated rig: in= is its raw data; empty = registered planes)", "");
        f.choice("Layout (of a rig's raw data; rig = as its file says)", layouts(), "rig");
        f.message("Camera (values become photons as (value - offset) / (gain x em gain))");
        f.number("Offset (ADU)", 0);
        f.number("Gain (ADU per electron)", 1);
        f.number("Em_gain (1 = none)", 1);
        f.number("Read_noise (electrons)", 3);
        f.message("Method: network (a trained model) or cs (compressed sensing: no model, slow)");
        f.choice("Method", Mumloc.enumNames("localize_method"), METHOD_NETWORK);
        f.file("Optics (method=cs: optics JSON; empty = the movie's record)", "");
        Localizer.Options cs = new Localizer.Options(); // the library's defaults
        f.number("Cs_lambda (method=cs: l1 weight in photons; 0 = automatic)", cs.csLambda);
        f.number("Cs_frames (method=cs: frames sharing one drift)", cs.csFrames);
        f.number("Cs_count (method=cs: molecules per frame and region if known; 0 = unknown)", cs.csKnownCount);
        f.number("Cs_min_photons (method=cs: least photons of a localization)", cs.csMinPhotons);
        f.message("Network");
        f.file("Model (safetensors, or regression / voxel = that bundled model; empty = regression)", "");
        f.number("Threshold (0 = the model's)", 0);
        f.choice("Refine (maximum-likelihood fit; drift = also each frame's plane drift)", Localizer.refineNames(),
                Localizer.REFINE_POSITIONS);
        f.choice("Device", DEVICES, "auto");
        f.choice("Precision (network arithmetic; bf16 = faster on CPUs with AVX512_BF16)",
                Localizer.precisionNames(), Localizer.PRECISION_AUTO);
        f.number("Threads (0 = all cores)", 0);
        f.number("Batch (frames read per batch; 0 = automatic)", 0);
        f.number("First (frame, 1-based)", 1);
        f.number("Last (frame; 0 = the last)", 0);
        f.message("Output (the table \"" + RESULTS + "\" always)");
        f.file("Csv (ThunderSTORM CSV file)", "");
        f.file("Drift_csv (refine=drift: drift per frame and plane, CSV)", "");
        f.choice("Render (show a depth-coloured image)", NO_YES, "no");
        f.file("Png (rendering file, .png or .tif)", "");
        f.message("Plane drift (refine=drift)");
        f.number("Drift_window (frames: 1 = each frame's own drift; N = a smooth drift with a span every N frames, "
                + "from every molecule; 200 suits a slow creep)", 1);
        f.file("Drift_out (drift per frame and plane, CSV; as drift_csv)", "");
        return f;
    }

    /** Whether the user set this field (a macro's option, or the dialog): otherwise its default stands. */
    private static boolean dialogGave(OptionForm f, String key) {
        String options = Macro.getOptions();
        return options == null || options.contains(key + "=");
    }

    private void execute() {
        OptionForm f = form();
        boolean dialog = Macro.getOptions() == null;
        if (dialog)
            for (String key : CAMERA_KEYS)
                f.set(key, Prefs.get("mumloc.localize." + key, f.values().get(key)));
        if (!Forms.read(f, "model=[/path/model.safetensors] csv=[/path/localizations.csv]")) return;
        double offset = f.number("offset"), gain = f.number("gain"), emGain = f.number("em_gain"),
                readNoise = f.number("read_noise");
        if (dialog)
            for (String key : CAMERA_KEYS) Prefs.set("mumloc.localize." + key, f.values().get(key));
        double threshold = f.number("threshold");
        int threads = (int) f.wholeNumber("threads", 0, 4096);
        int batch = (int) f.wholeNumber("batch", 0, 1 << 20);
        long first = f.wholeNumber("first", 1, Integer.MAX_VALUE);
        long last = f.wholeNumber("last", 0, Integer.MAX_VALUE);
        String csv = Tables.pathOrNull(f.string("csv"));
        String refine = f.string("refine");
        String precision = f.string("precision");
        String driftCsv = Tables.pathOrNull(f.string("drift_csv"));
        String driftOut = Tables.pathOrNull(f.string("drift_out"));
        if (driftOut != null && driftCsv != null && !driftOut.equals(driftCsv))
            throw new UserError("drift_out and drift_csv name the same output: give one of them");
        if (driftOut != null) driftCsv = driftOut;
        int driftWindow = (int) f.wholeNumber("drift_window", 1, 1000000);
        // a drift window asks for the drift, as the CLI's --drift-window does without --refine
        if (driftWindow > 1 && !Localizer.REFINE_DRIFT.equals(refine)) {
            if (dialogGave(f, "refine"))
                throw new UserError("drift_window: only refine=drift estimates the drift (refine=" + refine
                        + "); choose refine=drift or drift_window=1");
            refine = Localizer.REFINE_DRIFT;
        }
        if (driftCsv != null && !Localizer.REFINE_DRIFT.equals(refine))
            throw new UserError("drift_csv: only refine=drift estimates the drift (refine=" + refine
                    + "); choose refine=drift or leave drift_csv empty");
        String png = Tables.pathOrNull(f.string("png"));
        boolean render = f.choiceIndex("render") == 1;
        boolean headless = Commands.isHeadless();
        if (png != null && !(lower(png).endsWith(".png") || lower(png).endsWith(".tif") || lower(png).endsWith(".tiff")))
            throw new UserError("png: the rendering file must end in .png or .tif, got " + png);
        if (headless && render && png == null)
            throw new UserError("headless, the rendering is written to a file: give png=[path to a .png file]");

        String rig = Tables.pathOrNull(f.string("rig"));
        if (rig == null && !"rig".equals(f.string("layout")))
            throw new UserError("layout: describes a rig's raw data; give rig=[the rig file] too");
        if (rig != null) {
            localizeRig(f, rig, threshold, refine, threads, first, last, csv, driftCsv, render, png, headless);
            return;
        }
        ImagePlus imp = movie(f.string("in"));
        try {
            if (imp.getBitDepth() == 24)
                throw new UserError("\"" + imp.getTitle() + "\" is an RGB image; localization needs the camera's "
                        + "8, 16 or 32-bit values");
            Device device = device(f.string("device"));
            IJ.resetEscape();
            if (METHOD_CS.equals(f.string("method"))) {
                localizeCs(f, imp, new double[] {offset, gain, emGain, readNoise}, refine, threads, batch, first, last,
                        csv, driftCsv, render, png, headless);
                return;
            }
            try (Model model = loadModel(f.string("model"))) {
                int k = model.planes();
                PlaneLayout layout = PlaneLayout.of(imp, k, f.string("planes"));
                if (layout == null) layout = askLayout(imp, k);
                if (layout == null) return;
                checkOptics(imp, model);
                if (first > layout.frames)
                    throw new UserError("first: the movie has " + layout.frames + " frames, first=" + first);
                long end = last == 0 ? layout.frames : Math.min(last, layout.frames);
                if (end < first) throw new UserError("last: " + last + " is before first=" + first);
                Localized found = localize(imp.getStack(), layout, model,
                        new double[] {offset, gain, emGain, readNoise}, threshold, refine, precision, driftWindow,
                        threads, batch, (int) first - 1, (int) (end - first + 1), device, headless);
                output(found.table, csv, render, png, headless, imp.getTitle());
                if (csv != null)
                    provenance(model, csv, moviePath(imp, f.string("in")), layout, threshold, refine, first, end,
                            found.table.rows());
                if (Localizer.REFINE_DRIFT.equals(refine)) outputDrift(found.drift, driftCsv);
            }
        } finally {
            MovieStack.closeIfMovie(imp);
        }
    }

    /**
     * rig=: the library reads in= (one file, or the cameras' files separated by commas for layout
     * files) in the rig's layout and writes the table (csv=, or a temporary file) with its sidecar;
     * the table is read back for "MUMLoc Results" and the rendering.
     */
    private static void localizeRig(OptionForm f, String rig, double threshold, String refine, int threads,
            long first, long last, String csv, String driftCsv, boolean render, String png, boolean headless) {
        String in = Tables.pathOrNull(f.string("in"));
        if (in == null)
            throw new UserError("rig: give in=[the rig's raw movie] (for layout files the cameras' files separated "
                    + "by commas); the library reads it in the rig's layout");
        if (last != 0 && last < first) throw new UserError("last: " + last + " is before first=" + first);
        String layout = "rig".equals(f.string("layout")) ? null : f.string("layout");
        String[] paths = in.split(",", -1);
        for (int i = 0; i < paths.length; i++) paths[i] = paths[i].trim();
        String mode = refine; // positions by default: the fits on the raw frames, as the CLI's
        Device device = device(f.string("device"));
        File tmpCsv = null, tmpDrift = null;
        try (Model model = loadModel(f.string("model"))) {
            if (csv == null) tmpCsv = temporary(".csv");
            if (Localizer.REFINE_DRIFT.equals(mode) && driftCsv == null) tmpDrift = temporary(".csv");
            String table = csv != null ? csv : tmpCsv.getPath();
            String drift = driftCsv != null ? driftCsv : tmpDrift == null ? null : tmpDrift.getPath();
            IJ.resetEscape();
            long started = System.nanoTime();
            long rows = Localizer.localizeRig(model, rig, layout, paths, table, threshold, mode, threads, device.device,
                    first - 1, last == 0 ? 0 : last - first + 1, drift, (done, total) -> {
                        if (!headless) IJ.showProgress((int) done, (int) Math.max(1, total));
                        return IJ.escapePressed();
                    });
            IJ.log(TITLE + ": " + rows + " localizations from the rig's raw data in "
                    + String.format(Locale.ROOT, "%.2f", (System.nanoTime() - started) * 1e-9) + " s on "
                    + device.reason);
            Table found = Table.readCsv(table, null);
            output(found, null, render, png, headless, new File(paths[0]).getName());
            if (csv != null) IJ.log(TITLE + ": wrote " + csv);
            if (drift != null) outputDrift(Table.readCsv(drift, null), null);
            if (driftCsv != null) IJ.log(TITLE + ": wrote " + driftCsv);
        } finally {
            for (File t : new File[] {tmpCsv, tmpDrift})
                if (t != null) {
                    t.delete();
                    new File(Model.sidecarPath(t.getPath())).delete();
                }
        }
    }

    private static File temporary(String suffix) {
        try {
            File t = File.createTempFile("mumloc-rig-", suffix);
            t.delete(); // the library writes it atomically; an existing empty file is no table
            return t;
        } catch (IOException e) {
            throw new UserError("cannot make a temporary file for the table: " + e.getMessage());
        }
    }

    /**
     * The table's sidecar (csv + ".json": the model's hash, optics, threshold, refinement, movie and
     * frames), as {@code mumloc localize} writes it, for {@code mumloc merge}. An image that is no file
     * gets none, and loses a sidecar an earlier table left there (it would describe another table).
     */
    private static void provenance(Model model, String csv, String movie, PlaneLayout layout, double threshold,
            String refine, long first, long end, long rows) {
        if (movie == null) {
            String sidecar = Model.sidecarPath(csv);
            new File(sidecar).delete();
            IJ.log(TITLE + ": no " + sidecar + " (what made the table): the image is not a saved file");
            return;
        }
        model.writeProvenance(csv, threshold, refine, movie, layout.frames, first - 1, end - first + 1, rows);
    }

    /** The movie's file: in=, or the file the current image was opened from; null if none. */
    static String moviePath(ImagePlus imp, String in) {
        String path = Tables.pathOrNull(in);
        if (path != null) return path;
        FileInfo file = imp.getOriginalFileInfo();
        if (file == null || file.fileName == null || file.directory == null || file.directory.isEmpty()) return null;
        File movie = new File(file.directory, file.fileName);
        return movie.isFile() ? movie.getPath() : null;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * The movie: the file named by in= (read by the library, never by ImageJ's opener: see MovieStack;
     * close it with MovieStack.closeIfMovie), or else the current image.
     */
    static ImagePlus movie(String in) {
        String path = Tables.pathOrNull(in);
        if (path == null) {
            if (Commands.isHeadless())
                throw new UserError("headless, there is no current image: give in=[path to the movie]");
            ImagePlus imp = WindowManager.getCurrentImage();
            if (imp == null) throw new UserError("there is no image open: open a movie, or give in=[path to a TIFF]");
            return imp;
        }
        return MovieStack.open(path);
    }

    /**
     * Refuses a movie that records other optics than the model's: mumloc's record ("mumloc={...}",
     * as {@code mumloc simulate} and "MUMLoc Simulate" write it) in the image's Info property or in
     * the TIFF description it was opened from. Images without the record are trusted.
     */
    static void checkOptics(ImagePlus imp, Model model) {
        Object info = imp.getProperty("Info");
        FileInfo file = imp.getOriginalFileInfo();
        String[] descriptions = {info instanceof String ? (String) info : null, file == null ? null : file.description};
        for (String description : descriptions) {
            try {
                if (model.checkRecordedOptics(description)) return;
            } catch (MumlocException e) {
                throw new UserError("\"" + imp.getTitle() + "\" was recorded with other optics than the model's: "
                        + e.getMessage() + ". Localize it with a model trained for its optics (MUMLoc Train with "
                        + "optics=[its optics file])");
            }
        }
    }

    /**
     * The model named: a file, or an architecture's name (regression, voxel) for its bundled model;
     * empty = the bundled regression model. The names and file names are the library's.
     */
    static Model loadModel(String name) {
        String[] archs = Mumloc.enumNames("arch"), files = Mumloc.enumNames("bundled_model");
        int arch = name.trim().isEmpty() ? 0 : java.util.Arrays.asList(archs).indexOf(name.trim());
        if (arch < 0) return Model.load(Tables.pathOrNull(name));
        String what = archs[arch], file = files[arch];
        try (InputStream in = LocalizeCommand.class.getResourceAsStream(BUNDLED_FOLDER + file)) {
            if (in == null)
                throw new UserError("no bundled " + what + " model is installed in this plugin: train one with "
                        + "MUMLoc Train (or mumloc train) and give its file as model=[path to the .safetensors]");
            File tmp = File.createTempFile("mumloc-" + what + "-model", ".safetensors");
            tmp.deleteOnExit();
            Files.copy(in, tmp.toPath(), StandardCopyOption.REPLACE_EXISTING);
            return Model.load(tmp.getPath());
        } catch (IOException e) {
            throw new UserError("cannot unpack the bundled " + what + " model: " + e.getMessage());
        }
    }

    /** The device: auto|cpu|cuda resolved by the library (an unusable explicit cuda fails, saying why). */
    static Device device(String request) {
        return Device.resolve(request);
    }

    /** Asks which axis holds the planes (interactive only); null if cancelled. */
    private static PlaneLayout askLayout(ImagePlus imp, int k) {
        String dims = "C = " + imp.getNChannels() + ", Z = " + imp.getNSlices() + ", T = " + imp.getNFrames();
        if (Commands.isHeadless() || Macro.getOptions() != null || IJ.getInstance() == null)
            throw new UserError("cannot tell where the " + k + " planes are in \"" + imp.getTitle() + "\" (" + dims
                    + "): give planes=slices if its images are frame after frame, " + k + " planes each");
        GenericDialog gd = new GenericDialog(TITLE);
        gd.addMessage("\"" + imp.getTitle() + "\" (" + dims + ") is a plain stack.\nAre its images frame after frame, "
                + k + " planes each?");
        gd.addChoice("Planes", new String[] {"slices"}, "slices");
        gd.showDialog();
        if (gd.wasCanceled()) return null;
        return PlaneLayout.detect(imp.getNChannels(), imp.getNSlices(), imp.getNFrames(), k, "slices");
    }

    /** What a localization gives: the localizations, and the drift table (refine=drift; else no rows). */
    static final class Localized {
        final Table table;
        final Table drift;

        Localized(Table table, Table drift) {
            this.table = table;
            this.drift = drift;
        }
    }

    /** As below with the default refinement (positions) and precision; returns the localizations. */
    static Table localize(ImageStack stack, PlaneLayout layout, Model model, double[] camera, double threshold,
            int threads, int batchFrames, int first, int count, Device device, boolean headless) {
        return localize(stack, layout, model, camera, threshold, Localizer.REFINE_POSITIONS, Localizer.PRECISION_AUTO,
                threads, batchFrames, first, count, device, headless).table;
    }

    /**
     * Localizes count frames from first (0-based) of the stack, batch by batch (batchFrames frames, or
     * 0: about 2^18 values each), with progress and Esc, refined as {@code refine} says (one of
     * Localizer.refineNames()), in the arithmetic {@code precision} names (Localizer.precisionNames());
     * returns the library's tables.
     */
    static Localized localize(ImageStack stack, PlaneLayout layout, Model model, double[] camera, double threshold,
            String refine, String precision, int threads, int batchFrames, int first, int count, Device device, boolean headless) {
        return localize(stack, layout, model, camera, threshold, refine, precision, 1, threads, batchFrames, first,
                count, device, headless);
    }

    /** As above, with refine=drift over windows of driftWindow frames (1 = per frame). */
    static Localized localize(ImageStack stack, PlaneLayout layout, Model model, double[] camera, double threshold,
            String refine, String precision, int driftWindow, int threads, int batchFrames, int first, int count,
            Device device, boolean headless) {
        int w = stack.getWidth(), h = stack.getHeight();
        Localizer loc = new Localizer(model, camera[0], camera[1], camera[2], camera[3], threshold, threads,
                device.device, refine, precision, driftWindow, w, h);
        // the library's sentence: "CPU: no CUDA device (...)", "CUDA:0: ..."
        return run(loc, stack, layout, batchFrames, first, count, device.reason, headless);
    }

    /** Pushes the frames through loc batch by batch with progress and Esc, then closes it. */
    static Localized run(Localizer localizer, ImageStack stack, PlaneLayout layout, int batchFrames, int first,
            int count, String where, boolean headless) {
        int w = stack.getWidth(), h = stack.getHeight();
        long frameSize = (long) layout.planes * w * h;
        // Esc is polled between batches: about 2^18 values (16 frames of 64x64x4) take well under a
        // second on two CPU cores with the network, and measured no slower overall than batches four
        // times as large. CS is far slower per frame: its caller passes a few frames per batch.
        long auto = Math.max(1, (1L << 18) / frameSize);
        int batch = (int) Math.min(count, batchFrames > 0 ? batchFrames : auto);
        if ((long) batch * frameSize > Integer.MAX_VALUE - 8)
            throw new UserError("batch: " + batch + " frames of " + frameSize + " values do not fit in one Java array; "
                    + "give a smaller batch");
        long started = System.nanoTime();
        Table table;
        Table drift;
        long found = 0;
        try (Localizer loc = localizer) {
            float[] buffer = new float[(int) (batch * frameSize)];
            int lastTenth = -1;
            for (int done = 0; done < count; ) {
                int n = Math.min(batch, count - done);
                layout.read(stack, first + done, n, buffer);
                found += loc.push(buffer, n, first + done);
                done += n;
                if (headless) {
                    int tenth = (int) ((long) done * 10 / count);
                    if (tenth != lastTenth && tenth < 10) IJ.log(TITLE + ": " + tenth * 10 + " %");
                    lastTenth = tenth;
                } else {
                    IJ.showProgress(done, count);
                    IJ.showStatus(TITLE + ": frame " + (first + done) + " of " + (first + count) + ", " + found
                            + " localizations");
                }
                if (IJ.escapePressed() && done < count)
                    throw new MumlocException(MumlocException.CANCELLED, "cancelled", "cancelled (Esc) after "
                            + done + " of " + count + " frames; no table or file was written");
            }
            table = loc.table();
            drift = loc.drift();
        }
        double seconds = (System.nanoTime() - started) * 1e-9;
        String summary = TITLE + ": " + count + (count == 1 ? " frame, " : " frames, ") + table.rows() + " localizations in "
                + String.format(Locale.ROOT, "%.2f", seconds) + " s on " + where;
        IJ.log(summary);
        if (!headless) IJ.showStatus(summary);
        return new Localized(table, drift);
    }

    /**
     * method=cs: the compressed-sensing solver, no model; the optics from optics=[file] or the movie's
     * record. Same outputs as the network (the table, csv, drift, rendering); no sidecar (it records a
     * model).
     */
    private static void localizeCs(OptionForm f, ImagePlus imp, double[] camera, String refine, int threads,
            int batch, long first, long last, String csv, String driftCsv, boolean render, String png,
            boolean headless) {
        if (!f.string("model").isEmpty())
            throw new UserError("model: method=cs uses no model; leave model empty or choose method=network");
        String opticsPath = Tables.pathOrNull(f.string("optics"));
        Optics optics = opticsPath != null ? Optics.load(opticsPath) : recordedOptics(imp);
        if (optics == null)
            throw new UserError("optics: \"" + imp.getTitle() + "\" does not record its optics; method=cs needs "
                    + "them: give optics=[an optics JSON file]");
        int k = optics.planes;
        PlaneLayout layout = PlaneLayout.of(imp, k, f.string("planes"));
        if (layout == null) layout = askLayout(imp, k);
        if (layout == null) return;
        if (first > layout.frames)
            throw new UserError("first: the movie has " + layout.frames + " frames, first=" + first);
        long end = last == 0 ? layout.frames : Math.min(last, layout.frames);
        if (end < first) throw new UserError("last: " + last + " is before first=" + first);
        int w = imp.getWidth(), h = imp.getHeight();
        Localizer loc = Localizer.compressedSensing(optics, camera[0], camera[1], camera[2], camera[3],
                threads, refine, f.number("cs_lambda"), (int) f.wholeNumber("cs_frames", 1, 1000),
                (int) f.wholeNumber("cs_count", 0, 100000), f.number("cs_min_photons"), w, h);
        // Esc and progress every few frames: one drift group per core a batch (CS takes 0.05-1 s a region)
        int groups = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        int csBatch = batch > 0 ? batch : (int) Math.min(100000, f.wholeNumber("cs_frames", 1, 1000) * groups);
        Localized found = run(loc, imp.getStack(), layout, csBatch, (int) first - 1, (int) (end - first + 1),
                "CPU (compressed sensing)", headless);
        output(found.table, csv, render, png, headless, imp.getTitle());
        if (Localizer.REFINE_DRIFT.equals(refine)) outputDrift(found.drift, driftCsv);
    }

    /** The optics mumloc's record in the image's Info or TIFF description gives, or null. */
    private static Optics recordedOptics(ImagePlus imp) {
        Object info = imp.getProperty("Info");
        FileInfo file = imp.getOriginalFileInfo();
        String[] descriptions = {info instanceof String ? (String) info : null, file == null ? null : file.description};
        for (String description : descriptions) {
            Optics o = description == null ? null : Optics.recorded(description);
            if (o != null) return o;
        }
        return null;
    }

    /**
     * The drift table "MUMLoc Drift" (shown; kept by title when headless), its CSV if asked for, and,
     * interactively (neither headless nor batch mode), a plot of each plane's dx and dy against the frame.
     */
    private static void outputDrift(Table drift, String driftCsv) {
        Tables.publish(Tables.toResultsTable(drift), DRIFT);
        if (!Commands.isHeadless() && !ij.macro.Interpreter.isBatchMode()) DriftPlot.of(drift).show();
        if (driftCsv != null) {
            drift.writeCsv(driftCsv);
            IJ.log(TITLE + ": wrote " + driftCsv);
        }
    }

    private static void output(Table table, String csv, boolean render, String png, boolean headless, String name) {
        ResultsTable rt = Tables.toResultsTable(table);
        Tables.publish(rt, RESULTS);
        if (csv != null) {
            table.writeCsv(csv);
            IJ.log(TITLE + ": wrote " + csv);
        }
        if (render || png != null) {
            Rendering r = Rendering.render(table, Rendering.Params.defaults(), png, null);
            if (render && !headless) RenderCommand.image(r, RenderCommand.TITLE + " of " + name).show();
            if (png != null) IJ.log(TITLE + ": wrote " + png);
        }
    }
}
