import ij.measure.ResultsTable;
import org.mumloc.Rendering;
import org.mumloc.Table;
import org.mumloc.fiji.Tables;

/**
 * The output half of "MUMLoc Localize" on a table of many rows, without the network: the table as
 * Fiji's results table, written as CSV and rendered (what LocalizeCommand does with the localizer's
 * table), repeated; for scripts/bench_fiji_localize.sh. Args: table CSV, output folder, repeats.
 */
public final class FijiOutput {
    public static void main(String[] args) {
        Table table = Table.readCsv(args[0], null);
        int repeats = Integer.parseInt(args[2]);
        double[] seconds = new double[3];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            ResultsTable rt = Tables.toResultsTable(table);
            long t1 = System.nanoTime();
            table.writeCsv(args[1] + "/out.csv");
            long t2 = System.nanoTime();
            Rendering.render(table, Rendering.Params.defaults(), args[1] + "/out.png", null);
            long t3 = System.nanoTime();
            seconds[0] += (t1 - t0) / 1e9;
            seconds[1] += (t2 - t1) / 1e9;
            seconds[2] += (t3 - t2) / 1e9;
            if (rt.size() != table.rows()) throw new AssertionError("rows");
        }
        System.out.printf("rows %d: results table %.3f s, csv %.3f s, render %.3f s (mean of %d)%n", table.rows(),
                seconds[0] / repeats, seconds[1] / repeats, seconds[2] / repeats, repeats);
    }
}
