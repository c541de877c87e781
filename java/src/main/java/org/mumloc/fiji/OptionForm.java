package org.mumloc.fiji;

import ij.Macro;
import ij.gui.GenericDialog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mumloc.Mumloc;
import org.mumloc.Table;

/**
 * The options of one command, declared once and read either from a dialog or from macro options.
 *
 * Each field has a label; its macro key is ImageJ's: the label up to the first space, lowercased
 * ({@link Macro#trimKey}). Underscores in labels show as spaces in the dialog, so "Drift_step (nm)"
 * reads "Drift step (nm)" and has the key "drift_step" — the CLI's option name with '_' for '-'.
 *
 * <ul>
 * <li>{@link #showDialog()} builds a GenericDialog (only ever called when not headless and not in a
 * macro); values typed there are recorded by ImageJ's recorder under the same keys.</li>
 * <li>{@link #readOptions(String)} reads a macro options string: missing keys keep their defaults,
 * unknown keys and bad choices are errors naming the valid ones. No AWT class is touched, so this works
 * with {@code -Djava.awt.headless=true}.</li>
 * </ul>
 */
public final class OptionForm {
    private enum Kind { NUMBER, STRING, CHOICE, FILE }

    private static final class Field {
        final Kind kind;
        final String label;
        final String key;
        final String[] aliases;
        final String[] choices;
        final int decimals;
        final int columns;
        String text; // current value as text (default, dialog or macro value)

        Field(Kind kind, String label, String text, String[] choices, int decimals, int columns,
                String[] aliases) {
            this.kind = kind;
            this.label = label;
            this.key = Macro.trimKey(label);
            this.text = text;
            this.choices = choices;
            this.decimals = decimals;
            this.columns = columns;
            this.aliases = aliases;
        }
    }

    private final String title;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final List<Object> layout = new ArrayList<>(); // Field or String (message)
    private String help;

    public OptionForm(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    private void add(Field f) {
        if (fields.containsKey(f.key)) throw new IllegalArgumentException("duplicate key " + f.key);
        for (String a : f.aliases)
            if (fields.containsKey(a)) throw new IllegalArgumentException("duplicate key " + a);
        fields.put(f.key, f);
        layout.add(f);
    }

    /** A number; the default is shown with as many decimals as it needs (at most 9 significant). */
    public OptionForm number(String label, double def, String... aliases) {
        String text = Table.formatNumber(def);
        int dot = text.indexOf('.');
        int decimals = dot < 0 ? 0 : text.length() - dot - 1;
        add(new Field(Kind.NUMBER, label, text, null, decimals, 8, aliases));
        return this;
    }

    public OptionForm string(String label, String def, int columns, String... aliases) {
        add(new Field(Kind.STRING, label, def == null ? "" : def, null, 0, columns, aliases));
        return this;
    }

    /** A file path (a text field with a Browse button in the dialog). */
    public OptionForm file(String label, String def, String... aliases) {
        add(new Field(Kind.FILE, label, def == null ? "" : def, null, 0, 30, aliases));
        return this;
    }

    public OptionForm choice(String label, String[] items, String def, String... aliases) {
        add(new Field(Kind.CHOICE, label, def, items.clone(), 0, 0, aliases));
        return this;
    }

    /** A line of text in the dialog (not a field). */
    public OptionForm message(String text) {
        layout.add(text);
        return this;
    }

    public OptionForm help(String url) {
        help = url;
        return this;
    }

    /** Replaces the current value of a field (e.g. with the values remembered from the last run). */
    public void set(String key, String text) {
        Field f = field(key);
        if (f.kind == Kind.CHOICE && !Arrays.asList(f.choices).contains(text)) return;
        f.text = text;
    }

    /** Every field's key and current value, in order (to remember them, or to build macro options). */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : fields.values()) out.put(f.key, f.text);
        return out;
    }

    /** Shows the dialog; false if the user cancelled. Never call this when headless. */
    public boolean showDialog() {
        GenericDialog gd = new GenericDialog(title);
        for (Object o : layout) {
            if (o instanceof String) {
                gd.addMessage((String) o);
                continue;
            }
            Field f = (Field) o;
            switch (f.kind) {
                case NUMBER:
                    gd.addNumericField(f.label, parseNumber(f, f.text), f.decimals, f.columns, null);
                    break;
                case STRING:
                    gd.addStringField(f.label, f.text, f.columns);
                    break;
                case FILE:
                    gd.addFileField(f.label, f.text, f.columns);
                    break;
                case CHOICE:
                    gd.addChoice(f.label, f.choices, f.text);
                    break;
                default:
                    throw new AssertionError(f.kind);
            }
        }
        if (help != null) gd.addHelp(help);
        gd.showDialog();
        if (gd.wasCanceled()) return false;
        for (Object o : layout) {
            if (o instanceof String) continue;
            Field f = (Field) o;
            switch (f.kind) {
                case NUMBER: {
                    double v = gd.getNextNumber();
                    if (gd.invalidNumber() || Double.isNaN(v))
                        throw new UserError(f.key + ": a number is expected");
                    f.text = Table.formatNumber(v);
                    break;
                }
                case STRING:
                case FILE:
                    f.text = gd.getNextString().trim();
                    break;
                case CHOICE:
                    f.text = gd.getNextChoice();
                    break;
                default:
                    throw new AssertionError(f.kind);
            }
        }
        return true;
    }

    /** Reads macro options: missing keys keep their values; unknown keys and bad choices are errors. */
    public void readOptions(String options) {
        Map<String, String> given = MacroOptions.parse(options);
        Map<String, Field> byKey = new LinkedHashMap<>();
        for (Field f : fields.values()) {
            byKey.put(f.key, f);
            for (String a : f.aliases) byKey.put(a, f);
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            Field f = byKey.get(e.getKey());
            if (f == null)
                throw new UserError("unknown option '" + e.getKey() + "'. The options are: "
                        + String.join(", ", keys()) + ".");
            String v = e.getValue();
            if (f.kind == Kind.CHOICE) {
                String match = null;
                for (String c : f.choices)
                    if (c.equalsIgnoreCase(v)) match = c;
                if (match == null)
                    throw new UserError(f.key + ": '" + v + "' is not one of " + String.join(", ", f.choices));
                v = match;
            } else if (f.kind == Kind.NUMBER) {
                parseNumber(f, v); // reject now, naming the key
            }
            f.text = v;
        }
    }

    /** The keys of every field, in order. */
    public List<String> keys() {
        return new ArrayList<>(fields.keySet());
    }

    private Field field(String key) {
        Field f = fields.get(key);
        if (f == null) throw new IllegalArgumentException("no field " + key);
        return f;
    }

    private static double parseNumber(Field f, String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isNaN(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new UserError(f.key + ": a number is expected, got '" + text + "'");
        }
    }

    // ---- typed getters ---------------------------------------------------------------------------

    public double number(String key) {
        Field f = field(key);
        return parseNumber(f, f.text);
    }

    /** A whole number in [min, max]; the message names the key. */
    public long wholeNumber(String key, long min, long max) {
        double v = number(key);
        if (v != Math.rint(v) || v < min || v > max)
            throw new UserError(key + ": a whole number from " + min + " to " + max + " is expected, got "
                    + field(key).text);
        return (long) v;
    }

    public int integer(String key) {
        return (int) wholeNumber(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public String string(String key) {
        return field(key).text.trim();
    }

    /** The chosen item's index in the choices. */
    public int choiceIndex(String key) {
        Field f = field(key);
        for (int i = 0; i < f.choices.length; i++)
            if (f.choices[i].equals(f.text)) return i;
        throw new UserError(key + ": '" + f.text + "' is not one of " + String.join(", ", f.choices));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Field f : fields.values()) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(f.key).append('=');
            boolean bracket = f.text.isEmpty() || f.text.indexOf(' ') >= 0;
            sb.append(bracket ? "[" + f.text + "]" : f.text);
        }
        return sb.toString();
    }
}
