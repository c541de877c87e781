import ij.Macro;
import org.mumloc.fiji.LocalizeCommand;

/**
 * Runs "MUMLoc Localize" as a headless Fiji macro would (run("MUMLoc Localize", options)), for
 * scripts/bench_fiji_localize.sh: args[0] is the macro options string. Prints the wall time.
 */
public final class FijiLocalize {
    public static void main(String[] args) throws Exception {
        final Throwable[] failure = new Throwable[1];
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            Macro.setOptions(args[0]);
            try {
                new LocalizeCommand().run("");
            } catch (Throwable e) {
                failure[0] = e;
            } finally {
                Macro.setOptions(null);
            }
        }, "Run$_bench"); // ImageJ hands macro options only to threads named Run$_...
        t.start();
        t.join();
        if (failure[0] != null) throw new RuntimeException(failure[0]);
        System.out.printf("wall %.2f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }
}
