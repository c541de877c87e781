package org.mumloc.fiji;

import ij.IJ;
import ij.Macro;

import org.mumloc.Camera;

import java.util.HashMap;
import java.util.Map;

/**
 * How a command gets its options: from the macro options when there are any (a macro, a recorded
 * line, headless), from a dialog otherwise; never a dialog when headless or under {@code ij.jar -batch}
 * (no window could answer it). The dialog starts from the values of the last one in this session.
 */
final class Forms {
    private Forms() {
    }

    private static final Map<String, Map<String, String>> REMEMBERED = new HashMap<>();

    /** Fills the form; false when the user cancelled the dialog. example: macro options to suggest. */
    static boolean read(OptionForm form, String example) {
        String options = Macro.getOptions();
        if (options != null) {
            form.readOptions(options);
            return true;
        }
        if (Commands.isHeadless() || (IJ.getInstance() == null && IJ.isMacro()))
            throw new UserError("without ImageJ's window the options must come from the macro, e.g. run(\""
                    + form.title() + "\", \"" + example + "\")");
        Map<String, String> last = REMEMBERED.get(form.title());
        if (last != null)
            for (Map.Entry<String, String> e : last.entrySet()) form.set(e.getKey(), e.getValue());
        if (!form.showDialog()) return false;
        REMEMBERED.put(form.title(), form.values());
        return true;
    }

    /** The camera fields of the simulated frames (Simulate, Train): keys as the CLI's options. */
    static void cameraFields(OptionForm f, Camera d) {
        f.number("Background (photons per pixel)", d.backgroundPhotons);
        f.number("Read_noise (electrons rms)", d.readNoiseE);
        f.number("EM_gain (1 = none)", d.emGain);
        f.number("Gain (ADU per electron)", d.aduPerElectron);
        f.number("Offset (ADU)", d.offsetAdu);
    }

    /** The camera of {@link #cameraFields}, as the form holds it. */
    static Camera camera(OptionForm f) {
        Camera c = new Camera();
        c.backgroundPhotons = f.number("background");
        c.readNoiseE = f.number("read_noise");
        c.emGain = f.number("em_gain");
        c.aduPerElectron = f.number("gain");
        c.offsetAdu = f.number("offset");
        return c;
    }
}
