// Run by tests/jar/test_self_contained.sh as a single-file program in a headless JVM whose class path
// holds only ImageJ and the plugin jar:
//   java -Djava.awt.headless=true -cp ij.jar:MUMLoc_-x.jar tests/jar/SelfContainedRun.java MODE [DIR]
// MODE pipeline: MUMLoc Simulate -> Localize (the bundled model) -> Render into DIR, as a headless
//                macro runs them; prints where the library came from and what each command logged.
// MODE load:     loads the library only; prints where it came from, or the loader's failure message.
import ij.Macro;
import ij.plugin.PlugIn;
import org.mumloc.Mumloc;
import org.mumloc.MumlocException;
import org.mumloc.NativeLoader;
import org.mumloc.fiji.LocalizeCommand;
import org.mumloc.fiji.RenderCommand;
import org.mumloc.fiji.SimulateCommand;

public class SelfContainedRun {
    /** Runs a command with macro options on a thread named "Run$_…", as ImageJ hands a macro's options. */
    static void run(PlugIn command, String options) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            Macro.setOptions(options);
            try {
                command.run("");
            } catch (Throwable e) {
                thrown[0] = e;
            } finally {
                Macro.setOptions(null);
            }
        }, "Run$_self-contained");
        t.start();
        t.join();
        if (thrown[0] != null) throw new IllegalStateException(command.getClass().getSimpleName() + " threw", thrown[0]);
    }

    public static void main(String[] args) throws Exception {
        try {
            Mumloc.load();
        } catch (MumlocException e) {
            System.out.println("failed=" + e.getMessage().replace('\n', '|'));
            System.exit(3);
        }
        System.out.println("loadedFrom=" + NativeLoader.loadedFrom());
        System.out.println("version=" + Mumloc.version());
        System.out.println("ompWaitPolicy=" + Mumloc.ompWaitPolicy());
        if (args[0].equals("load")) return;
        String dir = args[1];
        run(new SimulateCommand(), "frames=4 size=32 molecules=4 seed=3 noise=physical movie=[" + dir
                + "/movie.tif] truth=[" + dir + "/truth.csv]");
        run(new LocalizeCommand(), "in=[" + dir + "/movie.tif] csv=[" + dir + "/localizations.csv] threads=1");
        run(new RenderCommand(), "in=[" + dir + "/localizations.csv] pixel=20 out=[" + dir + "/render.png]");
        System.out.println("done");
    }
}
