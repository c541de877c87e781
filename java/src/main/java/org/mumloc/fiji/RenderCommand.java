package org.mumloc.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.plugin.PlugIn;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;

import java.util.Locale;

import org.mumloc.Mumloc;
import org.mumloc.Rendering;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Render": a depth-coloured super-resolution image of a results table (or
 * a CSV file), rendered by the library (the same image as {@code mumloc render}): colour = depth
 * through the colour map, brightness = density, with a colour bar; calibrated in nm. Optionally a
 * z-stack (one density slice per z bin) as a hyperstack. Keys are the CLI's options ('_' for '-'):
 * {@code run("MUMLoc Render", "pixel=10 method=gaussian colormap=turbo out=[/data/render.png]")}.
 * Headless, nothing is shown: {@code out=} (and {@code zstack=}) name the files.
 */
public class RenderCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Render";
    static final String[] NO_YES = {"no", "yes"};
    static final String[] ON_OFF = {"on", "off"};

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form(Rendering.Params d) {
        OptionForm f = new OptionForm(TITLE);
        f.message("Localizations: an open table, or a CSV file");
        f.string("Results (table title)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("In (CSV file; replaces the table)", "");
        f.message("Image");
        f.number("Pixel (nm, rendering pixel)", d.pixelNm);
        String[] methods = Rendering.methodNames();
        f.choice("Method", methods, methods[d.method]);
        f.number("Sigma (nm, gaussian; 0 = each uncertainty_xy)", d.sigmaNm);
        f.number("Sigma_min (nm)", d.sigmaMinNm);
        f.number("Sigma_max (nm)", d.sigmaMaxNm);
        f.number("Ash_shifts (ash: N x N histograms)", d.ashShifts);
        f.string("Field (W or WxH nm; empty = the data's extent)", "", 12);
        f.message("Depth colour");
        f.number("Z_min (nm)", d.zMinNm);
        f.number("Z_max (nm)", d.zMaxNm);
        f.choice("Z_from_data (z range = the data's)", NO_YES, d.zFromData ? "yes" : "no");
        String[] maps = Rendering.colormapNames();
        f.choice("Colormap", maps, maps[d.colormap]);
        f.choice("Colorbar", ON_OFF, d.colorbar ? "on" : "off");
        f.number("Saturate (percentile of pixel densities)", d.saturationPercentile);
        f.number("Saturate_at (density; > 0 replaces the percentile)", d.saturationDensity);
        f.message("Z-stack (one density slice per z bin)");
        f.choice("Slices (show the z-stack)", NO_YES, "no");
        f.number("Z_bin (nm)", d.zBinNm);
        f.number("Threads (0 = all cores)", 0);
        f.message("Files (optional; required when headless)");
        f.file("Out (image: .png with colour bar, or .tif)", "");
        f.file("Zstack (z-stack TIFF file)", "");
        return f;
    }

    private void execute() {
        Rendering.Params p = Rendering.Params.defaults();
        OptionForm f = form(p);
        if (!Forms.read(f, "in=[/path/localizations.csv] pixel=10 out=[/path/render.png]")) return;
        p.pixelNm = f.number("pixel");
        p.method = f.choiceIndex("method");
        p.sigmaNm = f.number("sigma");
        p.sigmaMinNm = f.number("sigma_min");
        p.sigmaMaxNm = f.number("sigma_max");
        p.ashShifts = f.integer("ash_shifts");
        double[] field = parseField(f.string("field"));
        p.fieldWidthNm = field[0];
        p.fieldHeightNm = field[1];
        p.zMinNm = f.number("z_min");
        p.zMaxNm = f.number("z_max");
        p.zFromData = f.choiceIndex("z_from_data") == 1;
        p.colormap = f.choiceIndex("colormap");
        p.colorbar = f.choiceIndex("colorbar") == 0;
        p.saturationPercentile = f.number("saturate");
        p.saturationDensity = f.number("saturate_at");
        p.zBinNm = f.number("z_bin");
        boolean showStack = f.choiceIndex("slices") == 1;
        String out = Tables.pathOrNull(f.string("out"));
        String zstackPath = Tables.pathOrNull(f.string("zstack"));
        p.zstack = showStack || zstackPath != null;
        boolean headless = Commands.isHeadless();
        if (headless && out == null)
            throw new UserError("headless, the image is written to a file: give out=[path to a .png or .tif file]");
        if (out != null && !(out.toLowerCase(Locale.ROOT).endsWith(".png") || out.toLowerCase(Locale.ROOT).endsWith(".tif")
                || out.toLowerCase(Locale.ROOT).endsWith(".tiff")))
            throw new UserError("out: the image file must end in .png or .tif, got " + out);
        Mumloc.setThreads(f.integer("threads"));

        String source = Tables.pathOrNull(f.string("in"));
        Rendering r;
        IJ.resetEscape();
        if (headless && source != null) {
            // Nothing to show: the library streams the file into the image files in bounded memory.
            r = Rendering.renderFile(source, p, out, zstackPath, Commands.progress(TITLE));
        } else {
            Table t = Tables.fromFileOrTable(f.string("in"), "in", f.string("results"), "results", "x,y,z").toNm(0);
            Commands.status(TITLE + ": rendering " + t.rows() + " localizations...");
            r = Rendering.render(t, p, out, zstackPath);
        }
        String name = source != null ? new java.io.File(source).getName() : f.string("results");
        if (!headless) {
            image(r, TITLE + " of " + name).show();
            if (showStack && r.zstack() != null) zstack(r, p, TITLE + " z-stack of " + name).show();
        }
        Commands.status(TITLE + ": " + r.width + "x" + r.height + " pixels of " + IJ.d2s(r.pixelNm, 2) + " nm, "
                + r.rendered + " localizations" + (r.outside > 0 ? " (" + r.outside + " outside the field)" : "")
                + (out != null ? ", wrote " + out : "") + (zstackPath != null ? " and " + zstackPath : ""));
    }

    /** "" → 0, 0 (from the data); "W" → W, W; "WxH" → W, H (nm, as the CLI's --field). */
    static double[] parseField(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) return new double[] {0, 0};
        int x = t.indexOf('x');
        try {
            double w = Double.parseDouble(x < 0 ? t : t.substring(0, x).trim());
            double h = x < 0 ? w : Double.parseDouble(t.substring(x + 1).trim());
            return new double[] {w, h};
        } catch (NumberFormatException e) {
            throw new UserError("field: expected W or WxH in nm (e.g. 12288 or 12288x6144), got '" + text + "'");
        }
    }

    /** The RGB canvas (image and colour bar) as an ImagePlus calibrated in nm. */
    static ImagePlus image(Rendering r, String title) {
        byte[] rgb = r.rgb();
        int n = r.canvasWidth * r.canvasHeight;
        int[] pixels = new int[n];
        for (int i = 0; i < n; i++)
            pixels[i] = 0xff000000 | (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff);
        ImagePlus imp = new ImagePlus(title, new ColorProcessor(r.canvasWidth, r.canvasHeight, pixels));
        calibrate(imp, r.pixelNm);
        return imp;
    }

    /** The z-stack as a hyperstack (Z = slices), calibrated in nm with z at the slices' lower edges. */
    static ImagePlus zstack(Rendering r, Rendering.Params p, String title) {
        float[] z = r.zstack();
        int plane = r.width * r.height;
        ImageStack stack = new ImageStack(r.width, r.height);
        for (int s = 0; s < r.slices; s++) {
            float[] pixels = new float[plane];
            System.arraycopy(z, s * plane, pixels, 0, plane);
            stack.addSlice("z " + IJ.d2s(r.zMinNm + s * p.zBinNm, 0) + " nm", new FloatProcessor(r.width, r.height, pixels));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(1, r.slices, 1);
        imp.setOpenAsHyperStack(true);
        calibrate(imp, r.pixelNm);
        Calibration cal = imp.getCalibration();
        cal.pixelDepth = p.zBinNm;
        cal.zOrigin = -r.zMinNm / p.zBinNm;
        imp.resetDisplayRange();
        return imp;
    }

    private static void calibrate(ImagePlus imp, double pixelNm) {
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = pixelNm;
        cal.pixelHeight = pixelNm;
        cal.setUnit("nm");
    }
}
