package org.mumloc.fiji;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Macro;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.plugin.FileInfoVirtualStack;
import ij.plugin.PlugIn;

import java.io.File;
import java.util.Map;

import org.mumloc.Emitter;
import org.mumloc.Mumloc;
import org.mumloc.Optics;
import org.mumloc.SimParams;
import org.mumloc.Simulator;

/**
 * Plugins › MUMLoc › "MUMLoc Simulate": a quad-plane movie with its ground truth, simulated by the
 * library (the same code as {@code mumloc simulate}).
 *
 * <ul>
 * <li>From the menu: a dialog with every simulation parameter; the movie appears as a hyperstack
 * (C = planes, Z = 1, T = frames, 32-bit, calibrated in µm) and the ground truth as the table "MUMLoc
 * Ground Truth". If file paths are given, the files are written first (exactly as the CLI writes them)
 * and the movie is opened from the file.</li>
 * <li>From a macro: every dialog field is a key, named as the CLI option ('_' for '-'):
 * {@code run("MUMLoc Simulate", "frames=100 size=64 molecules=10 seed=1 noise=physical movie=[/tmp/m.tif]")}.
 * </li>
 * <li>Headless: no dialog or window; {@code movie=} is required and the files are all it produces.</li>
 * </ul>
 * All numbers and their defaults come from the library; this class only moves values around.
 */
public class SimulateCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Simulate";
    public static final String TRUTH_TABLE = "MUMLoc Ground Truth";
    /** The ground-truth columns, exactly as in the truth CSV. */
    public static final String[] TRUTH_COLUMNS = {"id", "frame", "x [nm]", "y [nm]", "z [nm]",
        "intensity [photon]", "weight"};

    /** Values of the last dialog in this session (the next dialog starts from them). */
    private static Map<String, String> remembered;

    /** What the options resolve to. */
    static final class Request {
        SimParams params;
        String moviePath;
        String truthPath;
        String driftPath;
        int threads;
    }

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    /** The command's fields, with the library's defaults. */
    static OptionForm form(SimParams d) {
        OptionForm f = new OptionForm(TITLE);
        f.message("Movie");
        f.number("Frames", d.frames);
        f.string("Size (W or WxH, pixels per plane)", d.width == d.height ? Integer.toString(d.width)
                : d.width + "x" + d.height, 10);
        f.choice("Sample", SimParams.sampleNames(), SimParams.sampleNames()[d.sample]);
        f.number("Molecules (per frame)", d.molecules);
        f.number("Molecules_min (> 0: each frame uniform in min..molecules)", d.moleculesMin);
        f.number("Density (per µm², > 0 overrides molecules)", d.densityPerUm2);
        f.number("Filaments (filaments sample)", d.filaments);
        f.number("Weight_min (molecule weight c)", d.weightMin);
        f.number("Weight_max", d.weightMax);
        f.number("Z_min (nm)", d.zMinNm);
        f.number("Z_max (nm)", d.zMaxNm);
        f.string("Seed (same seed, same movie)", Long.toUnsignedString(d.seed), 20);
        f.message("Plane drift and camera");
        f.number("Drift (max |nm| per axis, planes 2..k)", d.driftMaxNm);
        f.number("Drift_step (nm, 0 = continuous)", d.driftStepNm);
        f.choice("Noise", SimParams.noiseNames(), SimParams.noiseNames()[d.noise]);
        Forms.cameraFields(f, d.camera);
        f.file("Optics (JSON file, empty = defaults)", "");
        f.number("Threads (0 = all cores)", 0);
        f.message("Files (optional; required when headless)");
        f.file("Movie (TIFF file)", "", "out");
        f.file("Truth (CSV file)", "");
        f.file("Drift_file (CSV; default beside the truth file)", "");
        return f;
    }

    private void execute() {
        boolean headless = Commands.isHeadless();
        String options = Macro.getOptions();
        OptionForm form = form(SimParams.defaults());
        if (options != null) {
            form.readOptions(options);
        } else if (headless || (IJ.getInstance() == null && IJ.isMacro())) {
            // No display, or ImageJ run with -batch (no window to answer a dialog): options are needed.
            throw new UserError("without ImageJ's window the options must come from the macro, e.g. run(\"" + TITLE
                    + "\", \"frames=100 size=64 seed=1 movie=[/path/movie.tif]\")");
        } else {
            if (remembered != null)
                for (Map.Entry<String, String> e : remembered.entrySet()) form.set(e.getKey(), e.getValue());
            if (!form.showDialog()) return;
            remembered = form.values();
        }
        Request r = request(form);
        if (headless && r.moviePath == null)
            throw new UserError("headless, the movie is written to a file: give movie=[path to the TIFF file]");
        if (r.moviePath == null && (r.truthPath != null || r.driftPath != null))
            throw new UserError("the truth and drift files are written together with the movie: give a movie "
                    + "file as well");
        Mumloc.setThreads(r.threads);
        IJ.resetEscape();
        long start = System.nanoTime();
        ImagePlus imp;
        if (r.moviePath != null) {
            Simulator.toFiles(r.params, r.moviePath, r.truthPath, r.driftPath, Commands.progress(TITLE));
            if (!headless) IJ.showProgress(1.0);
            if (headless) {
                Commands.status(TITLE + ": wrote " + r.moviePath + (r.truthPath != null ? ", " + r.truthPath : "")
                        + (r.driftPath != null ? ", " + r.driftPath : ""));
                return;
            }
            imp = openMovie(r.moviePath, r.params);
        } else {
            imp = simulate(r.params);
            if (imp == null) {
                Commands.status(TITLE + ": cancelled");
                return;
            }
        }
        ResultsTable rt = truthTable(r.params);
        imp.show();
        rt.show(TRUTH_TABLE);
        double seconds = (System.nanoTime() - start) * 1e-9;
        IJ.showStatus(TITLE + ": " + r.params.frames + " frames, " + rt.size() + " molecules, "
                + IJ.d2s(seconds, 2) + " s");
    }

    /** Resolves the form into library parameters (validated by the library) and file paths. */
    static Request request(OptionForm f) {
        Request r = new Request();
        SimParams p = SimParams.defaults();
        String optics = f.string("optics");
        if (!optics.isEmpty()) p.optics = Optics.load(absolute(optics));
        p.frames = f.wholeNumber("frames", Long.MIN_VALUE, Long.MAX_VALUE);
        int[] size = parseSize(f.string("size"));
        p.width = size[0];
        p.height = size[1];
        p.sample = f.choiceIndex("sample");
        p.molecules = f.integer("molecules");
        p.moleculesMin = f.integer("molecules_min");
        p.densityPerUm2 = f.number("density");
        p.filaments = f.integer("filaments");
        p.weightMin = f.number("weight_min");
        p.weightMax = f.number("weight_max");
        p.zMinNm = f.number("z_min");
        p.zMaxNm = f.number("z_max");
        p.seed = parseSeed(f.string("seed"));
        p.driftMaxNm = f.number("drift");
        p.driftStepNm = f.number("drift_step");
        p.noise = f.choiceIndex("noise");
        p.camera = Forms.camera(f);
        r.threads = f.integer("threads");
        p.validate(); // the library's message names the option and its range
        r.params = p;

        r.moviePath = pathOrNull(f.string("movie"));
        r.truthPath = pathOrNull(f.string("truth"));
        r.driftPath = pathOrNull(f.string("drift_file"));
        if (r.driftPath == null && r.truthPath != null) r.driftPath = driftBeside(r.truthPath);
        if (same(r.moviePath, r.truthPath) || same(r.moviePath, r.driftPath) || same(r.truthPath, r.driftPath))
            throw new UserError("the movie, truth and drift files must be different files");
        return r;
    }

    /** "64" → 64×64, "64x32" → 64 wide, 32 high (as the CLI's --size). */
    static int[] parseSize(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        int x = t.indexOf('x');
        try {
            int w = Integer.parseInt(x < 0 ? t : t.substring(0, x).trim());
            int h = x < 0 ? w : Integer.parseInt(t.substring(x + 1).trim());
            return new int[] {w, h};
        } catch (NumberFormatException e) {
            throw new UserError("size: expected W or WxH in pixels (e.g. 64 or 128x64), got '" + text + "'");
        }
    }

    static long parseSeed(String text) {
        try {
            return Long.parseUnsignedLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UserError("seed: expected a whole number from 0 to 18446744073709551615, got '" + text + "'");
        }
    }

    /** The CLI's default drift file: "truth.csv" → "truth.drift.csv". */
    static String driftBeside(String truthPath) {
        String base = truthPath.endsWith(".csv") ? truthPath.substring(0, truthPath.length() - 4) : truthPath;
        return base + ".drift.csv";
    }

    private static String pathOrNull(String s) {
        return s == null || s.isEmpty() ? null : absolute(s);
    }

    private static String absolute(String path) {
        return new File(path).getAbsolutePath();
    }

    private static boolean same(String a, String b) {
        return a != null && a.equals(b);
    }

    // ---- outputs --------------------------------------------------------------------------------

    /** Frames per library call: about 4 Mi floats, and at least 20 progress steps for long movies. */
    static long batchFrames(long frameFloats, long frames) {
        long byMemory = Math.max(1, (4L << 20) / Math.max(1, frameFloats));
        long bySteps = Math.max(1, frames / 20);
        return Math.max(1, Math.min(frames, Math.min(byMemory, bySteps)));
    }

    /** Simulates the movie into a hyperstack; null if the user pressed Esc. */
    static ImagePlus simulate(SimParams p) {
        int k = p.optics.planes;
        long planesTotal = (long) k * p.frames;
        if (planesTotal > Integer.MAX_VALUE - 8 || (long) p.width * p.height > Integer.MAX_VALUE - 8)
            throw new UserError(p.frames + " frames of " + k + " planes of " + p.width + "x" + p.height
                    + " pixels are more than ImageJ holds in one image; write the movie to a file (movie=...) "
                    + "and open it as a virtual stack");
        long bytes = planesTotal * p.width * p.height * 4L;
        long max = IJ.maxMemory();
        if (max > 0 && bytes > 0.9 * (max - IJ.currentMemory()))
            throw new UserError("the movie needs " + (bytes >> 20) + " MB but only "
                    + ((max - IJ.currentMemory()) >> 20) + " MB of memory are free; write it to a file "
                    + "(Movie file / movie=...) or simulate fewer frames");
        int plane = p.width * p.height;
        try (Simulator sim = new Simulator(p)) {
            long frameFloats = sim.frameSize();
            long batch = batchFrames(frameFloats, p.frames);
            float[] buffer = new float[(int) (batch * frameFloats)];
            ImageStack stack = new ImageStack(p.width, p.height);
            for (long first = 0; first < p.frames; first += batch) {
                if (IJ.escapePressed()) {
                    IJ.showProgress(1.0);
                    return null;
                }
                long n = Math.min(batch, p.frames - first);
                sim.frames(first, n, buffer);
                for (int i = 0; i < n * k; i++) {
                    float[] pixels = new float[plane];
                    System.arraycopy(buffer, i * plane, pixels, 0, plane);
                    stack.addSlice(null, pixels);
                }
                IJ.showProgress((double) (first + n) / p.frames);
            }
            ImagePlus imp = new ImagePlus("MUMLoc simulation (seed " + Long.toUnsignedString(p.seed) + ")", stack);
            return finish(imp, p);
        }
    }

    /** Opens the written movie (as a virtual stack if it would fill more than half the free memory). */
    static ImagePlus openMovie(String path, SimParams p) {
        long bytes = (long) p.optics.planes * p.frames * p.width * p.height * 4L;
        long max = IJ.maxMemory();
        boolean virtual = max > 0 && bytes > 0.5 * (max - IJ.currentMemory());
        ImagePlus imp = virtual ? FileInfoVirtualStack.openVirtual(path) : IJ.openImage(path);
        if (imp == null) throw new UserError("ImageJ could not open the movie just written to " + path);
        return finish(imp, p);
    }

    /** Hyperstack dimensions, calibration (µm per pixel) and the parameters as "Info" (mumloc={...}). */
    private static ImagePlus finish(ImagePlus imp, SimParams p) {
        int k = p.optics.planes;
        if (imp.getStackSize() == k * p.frames) imp.setDimensions(k, 1, (int) p.frames);
        imp.setOpenAsHyperStack(true);
        if (k > 1 && !imp.isComposite()) imp = new CompositeImage(imp, IJ.GRAYSCALE);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = p.optics.pixelNm / 1000.0;
        cal.pixelHeight = p.optics.pixelNm / 1000.0;
        cal.setUnit("micron");
        imp.setProperty("Info", "mumloc=" + p.toJson()); // the record as in the TIFF description
        if (imp.isComposite()) {
            CompositeImage ci = (CompositeImage) imp;
            for (int c = 1; c <= k; c++) {
                ci.setC(c);
                ci.resetDisplayRange();
            }
            ci.setC(1);
        } else {
            imp.resetDisplayRange();
        }
        return imp;
    }

    /** The ground truth, with the truth CSV's column names (frame and id 1-based). */
    static ResultsTable truthTable(SimParams p) {
        ResultsTable rt = new ResultsTable();
        rt.showRowNumbers(false);
        long id = 0;
        try (Simulator sim = new Simulator(p)) {
            for (long f = 0; f < p.frames; f++) {
                for (Emitter e : sim.truth(f)) {
                    rt.incrementCounter();
                    rt.addValue(TRUTH_COLUMNS[0], ++id);
                    rt.addValue(TRUTH_COLUMNS[1], e.frame + 1);
                    rt.addValue(TRUTH_COLUMNS[2], e.xNm);
                    rt.addValue(TRUTH_COLUMNS[3], e.yNm);
                    rt.addValue(TRUTH_COLUMNS[4], e.zNm);
                    rt.addValue(TRUTH_COLUMNS[5], e.photons);
                    rt.addValue(TRUTH_COLUMNS[6], e.weight);
                }
            }
        }
        return rt;
    }
}
