package org.mumloc.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.plugin.PlugIn;
import ij.process.FloatProcessor;

import java.io.File;
import java.io.IOException;

import org.mumloc.Calibration;
import org.mumloc.PsfSections;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Calibrate": a rig file from a bead z-stack, by the library (the same
 * call as {@code mumloc calibrate}). The stack: files named by beads= (one file, or one per camera
 * separated by commas), or else the current image (a hyperstack with the cameras as channels, or one
 * chip of tiles). Keys are the CLI's options ('_' for '-'); camera values are one number or one per
 * camera ("100,102,98,101"):
 * {@code run("MUMLoc Calibrate", "beads=[/data/beads.tif] z_step=50 offset=100 gain=2 psf=spline out=[/data/rig.json] report=[/data/rig.png]")}
 * (psf=spline, the default, also writes the measured PSF beside the rig file as NAME.psf.safetensors).
 * The summary goes to the Log; the report PNG is shown unless headless or in batch mode.
 */
public class CalibrateCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Calibrate";

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form() {
        OptionForm f = new OptionForm(TITLE);
        f.message("Bead z-stack: the stage stepped through every plane's focus");
        f.file("Beads (file, or one per camera a.tif,b.tif; empty = current image)", "");
        String[] layouts = Calibration.layoutNames();
        f.choice("Layout", layouts, layouts[0]);
        f.number("Z_step (nm between images)", 50);
        f.number("Pixel_size (nm, camera 1's pixel in the sample; 0 = 192)", 0);
        f.message("Cameras (one value, or one per camera separated by commas)");
        Calibration.Options d = new Calibration.Options(); // the library's defaults
        f.string("Offset (ADU)", Table.formatNumber(d.offsetAdu[0]), 20);
        f.string("Gain (ADU per electron)", Table.formatNumber(d.aduPerElectron[0]), 20);
        f.string("EM_gain (1 = none)", Table.formatNumber(d.emGain[0]), 20);
        f.string("Read_noise (electrons rms)", Table.formatNumber(d.readNoiseE[0]), 20);
        f.number("Min_beads (shared with camera 1)", d.minBeads);
        String[] psfs = Calibration.psfNames();
        f.choice("PSF (spline: measured from the beads, beside the rig file)", psfs, psfs[d.psf]);
        f.number("Threads (0 = all cores)", 0);
        f.message("Files");
        f.file("Out (rig file, JSON)", "");
        f.file("Report (PNG; empty = a temporary one, shown)", "");
        f.file("PSF_sections (TIFF of a spline rig's measured PSF beside the Gaussian; empty = shown)", "");
        return f;
    }

    private void execute() {
        OptionForm f = form();
        if (!Forms.read(f, "beads=[/path/beads.tif] z_step=50 out=[/path/rig.json]")) return;
        Calibration.Options o = new Calibration.Options();
        o.zStepNm = f.number("z_step");
        o.pixelNm = f.number("pixel_size");
        o.layout = f.choiceIndex("layout");
        o.minBeads = f.integer("min_beads");
        o.psf = f.choiceIndex("psf");
        o.offsetAdu = values(f, "offset");
        o.aduPerElectron = values(f, "gain");
        o.emGain = values(f, "em_gain");
        o.readNoiseE = values(f, "read_noise");
        org.mumloc.Mumloc.setThreads(f.integer("threads"));
        String out = Tables.pathOrNull(f.string("out"));
        if (out == null) throw new UserError("out: give the rig file to write, e.g. out=[/path/rig.json]");
        String report = Tables.pathOrNull(f.string("report"));
        boolean show = !Commands.isHeadless() && !Commands.isBatchMode();
        if (report == null && show) report = temporaryPng();
        o.reportPath = report;
        String beads = f.string("beads").trim();
        Commands.status(TITLE + ": calibrating...");
        String summary;
        if (!beads.isEmpty()) {
            String[] paths = beads.split(",");
            for (int i = 0; i < paths.length; i++) paths[i] = paths[i].trim();
            if (paths.length > 1 && o.layout == 0) o.layout = 1; // several files: one per camera
            o.inputs = beads;
            summary = Calibration.calibrateFiles(paths, o, out);
        } else {
            summary = calibrateCurrentImage(o, out);
        }
        IJ.log(TITLE + " (" + out + "):\n" + summary.trim());
        if (show && report != null) {
            ImagePlus plots = IJ.openImage(report);
            if (plots != null) {
                plots.setTitle(TITLE + ": " + new File(out).getName());
                plots.show();
            }
        }
        showPsfSections(out, Tables.pathOrNull(f.string("psf_sections")), show);
        Commands.status(TITLE + ": wrote " + out + (f.string("report").isEmpty() ? "" : " and " + report));
    }

    /**
     * A spline rig's measured PSF beside its Gaussian model: xz and yz sections per plane (one slice
     * per plane), written to {@code path} when given, else shown (skipped headless or in batch mode).
     * A rig with the Gaussian model has nothing measured to show.
     */
    static void showPsfSections(String rigPath, String path, boolean show) {
        if (path == null && !show) return;
        PsfSections s = PsfSections.ofRig(rigPath);
        if (s == null) return;
        ImageStack stack = new ImageStack(s.width, s.depths);
        int area = s.width * s.depths;
        for (int d = 0; d < s.planes; d++) {
            float[] plane = new float[area];
            System.arraycopy(s.pixels, d * area, plane, 0, area);
            stack.addSlice("plane " + (d + 1) + ": measured xz | Gaussian xz | measured yz | Gaussian yz",
                    new FloatProcessor(s.width, s.depths, plane));
        }
        ImagePlus imp = new ImagePlus(TITLE + ": PSF sections of " + new File(rigPath).getName(), stack);
        ij.measure.Calibration cal = imp.getCalibration();
        cal.pixelWidth = s.lateralStepNm;
        cal.pixelHeight = s.zStepNm;
        cal.yOrigin = -s.z0Nm / s.zStepNm;
        cal.setUnit("nm");
        if (path != null) {
            if (!IJ.saveAsTiff(imp, path)) throw new UserError("psf_sections: cannot write " + path);
            IJ.log(TITLE + ": PSF sections (" + s.planes + " planes, rows " + s.z0Nm + " nm down in steps of "
                    + s.zStepNm + " nm) in " + path);
        } else {
            imp.resetDisplayRange();
            imp.show();
        }
    }

    /** The current image as the bead stack: channels = cameras (hyperstack, files) or one chip (tiles). */
    private static String calibrateCurrentImage(Calibration.Options o, String out) {
        if (Commands.isHeadless())
            throw new UserError("headless, there is no current image: give beads=[path to the bead stack]");
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) throw new UserError("there is no image open: open the bead stack, or give beads=[path]");
        int bits = imp.getBitDepth();
        if (bits == 24) throw new UserError("\"" + imp.getTitle() + "\" is an RGB image: a bead stack holds camera counts");
        int width = imp.getWidth(), height = imp.getHeight(), channels = imp.getNChannels();
        int perChannel = imp.getNSlices() * imp.getNFrames();
        long pixels = (long) width * height * channels * perChannel;
        if (pixels > Integer.MAX_VALUE - 8)
            throw new UserError("\"" + imp.getTitle() + "\" has " + pixels + " pixels; calibrate it from its file with beads=[path]");
        float[] images = new float[(int) pixels];
        ImageStack stack = imp.getStack();
        int area = width * height;
        for (int i = 0; i < stack.getSize(); i++) {
            float[] p = (float[]) stack.getProcessor(i + 1).convertToFloatProcessor().getPixels();
            System.arraycopy(p, 0, images, i * area, area);
        }
        o.inputs = "image \"" + imp.getTitle() + "\"";
        return Calibration.calibrateImages(images, width, height, channels, perChannel, bits, o, out);
    }

    /** One number or one per camera, "100" or "100,102,98,101". */
    static double[] values(OptionForm f, String key) {
        String[] parts = f.string(key).split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError(key + ": expects a number or one number per camera separated by commas, got \""
                        + f.string(key) + "\"");
            }
        }
        return v;
    }

    private static String temporaryPng() {
        try {
            File tmp = File.createTempFile("mumloc-calibration", ".png");
            tmp.deleteOnExit();
            return tmp.getPath();
        } catch (IOException e) {
            throw new UserError("cannot create a temporary file for the report: " + e.getMessage() + "; give report=[path]");
        }
    }
}
