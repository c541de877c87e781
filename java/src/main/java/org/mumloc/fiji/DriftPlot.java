package org.mumloc.fiji;

import ij.gui.Plot;

import java.util.ArrayList;
import java.util.List;

import org.mumloc.Table;

/**
 * The plane drift of "MUMLoc Localize" (refine=drift; the library's drift table: "frame", "plane",
 * "dx [nm]", "dy [nm]", ...) as an ImageJ plot against the frame: dx and dy of each plane 2..k, one
 * colour per plane, dy dashed.
 */
final class DriftPlot {
    static final String TITLE = "MUMLoc Drift (planes 2..k against plane 1)";
    private static final java.awt.Color[] COLOURS = {java.awt.Color.BLUE, java.awt.Color.RED,
            new java.awt.Color(0, 140, 0), java.awt.Color.MAGENTA, java.awt.Color.ORANGE, java.awt.Color.CYAN,
            java.awt.Color.DARK_GRAY};

    private DriftPlot() {}

    static Plot of(Table drift) {
        int frame = drift.find("frame"), plane = drift.find("plane"), dx = drift.find("dx"), dy = drift.find("dy");
        Plot plot = new Plot(TITLE, "frame", "drift [nm]");
        if (frame < 0 || plane < 0 || dx < 0 || dy < 0 || drift.rows() == 0) return plot;
        double[] f = drift.column(frame), p = drift.column(plane), x = drift.column(dx), y = drift.column(dy);
        int planes = 0;
        for (double v : p) planes = Math.max(planes, (int) v);
        for (int d = 2; d <= planes; d++) {
            List<double[]> rows = new ArrayList<>();
            for (int r = 0; r < f.length; r++)
                if ((int) p[r] == d) rows.add(new double[] {f[r], x[r], y[r]});
            double[] t = new double[rows.size()], vx = new double[rows.size()], vy = new double[rows.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = rows.get(i)[0];
                vx[i] = rows.get(i)[1];
                vy[i] = rows.get(i)[2];
            }
            plot.setColor(COLOURS[(d - 2) % COLOURS.length]);
            plot.addPoints(t, vx, Plot.LINE);
            plot.setLabel(-1, "plane " + d + " dx");
            plot.setLineWidth(1);
            plot.addPoints(t, vy, Plot.CONNECTED_CIRCLES);
            plot.setLabel(-1, "plane " + d + " dy");
        }
        plot.addLegend(null);
        plot.setLimitsToFit(false);
        return plot;
    }
}
