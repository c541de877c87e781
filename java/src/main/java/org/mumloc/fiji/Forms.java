package org.mumloc.fiji;

import ij.IJ;
import ij.Macro;

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
}
