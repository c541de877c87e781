package org.mumloc.fiji;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits an ImageJ macro options string ("frames=5 size=32 out=[/a b/movie.tif]") into keys and
 * values. Values are written as ImageJ writes them: a bare word, a [bracketed] text (brackets may
 * nest) or a 'quoted' text; a key with no '=' (a checkbox) gets the value "true".
 *
 * Unlike {@code ij.Macro.getValue}, a key only matches at the start of the string or after
 * whitespace, so "noise" never picks up the value of "read_noise" (ImageJ's own lookup only requires
 * that the key is not preceded by a letter).
 */
public final class MacroOptions {
    private MacroOptions() {
    }

    /** Keys (lowercase) to values, in order; a repeated key keeps its first value, as ImageJ does. */
    public static Map<String, String> parse(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        if (options == null) return out;
        int n = options.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(options.charAt(i))) i++;
            if (i >= n) break;
            int keyStart = i;
            while (i < n && options.charAt(i) != '=' && !Character.isWhitespace(options.charAt(i))) i++;
            String key = options.substring(keyStart, i).toLowerCase(Locale.US);
            String value;
            if (i < n && options.charAt(i) == '=') {
                i++;
                if (i < n && options.charAt(i) == '[') {
                    int depth = 0;
                    int start = i + 1;
                    int end = -1;
                    for (int j = i; j < n; j++) {
                        char c = options.charAt(j);
                        if (c == '[') depth++;
                        else if (c == ']' && --depth == 0) {
                            end = j;
                            break;
                        }
                    }
                    if (end < 0)
                        throw new UserError("The value of option '" + key + "' has no closing ']'");
                    value = options.substring(start, end);
                    i = end + 1;
                } else if (i < n && options.charAt(i) == '\'') {
                    int end = options.indexOf('\'', i + 1);
                    if (end < 0)
                        throw new UserError("The value of option '" + key + "' has no closing quote");
                    value = options.substring(i + 1, end);
                    i = end + 1;
                } else {
                    int start = i;
                    while (i < n && !Character.isWhitespace(options.charAt(i))) i++;
                    value = options.substring(start, i);
                }
            } else {
                value = "true";
            }
            if (!key.isEmpty()) out.putIfAbsent(key, value);
        }
        return out;
    }
}
