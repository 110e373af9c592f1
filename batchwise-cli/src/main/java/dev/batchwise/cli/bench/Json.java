package dev.batchwise.cli.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON writer for the bench report: maps (written in their iteration order), lists,
 * strings, numbers, booleans and {@code null}. Non-finite numbers are written as {@code null},
 * since JSON has no NaN; other floating-point numbers keep 7 significant digits.
 */
public final class Json {
    private static final MathContext SIGNIFICANT = new MathContext(7);

    private Json() {}

    /** {@code value} as indented JSON text (two spaces per level), ending without a newline. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> number(sb, d);
            case Float f -> number(sb, f.doubleValue());
            case Number n -> sb.append(n.longValue());
            case Map<?, ?> m -> object(sb, m, depth);
            case List<?> l -> array(sb, l, depth);
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void object(StringBuilder sb, Map<?, ?> m, int depth) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            newline(sb, depth + 1);
            string(sb, String.valueOf(e.getKey()));
            sb.append(": ");
            write(sb, e.getValue(), depth + 1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        newline(sb, depth);
        sb.append('}');
    }

    private static void array(StringBuilder sb, List<?> l, int depth) {
        if (l.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
            newline(sb, depth + 1);
            write(sb, l.get(i), depth + 1);
            if (i + 1 < l.size()) {
                sb.append(',');
            }
        }
        newline(sb, depth);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int depth) {
        sb.append('\n').append("  ".repeat(depth));
    }

    /** Finite numbers with 7 significant digits in plain notation (timings need no more). */
    private static void number(StringBuilder sb, double d) {
        if (!Double.isFinite(d)) {
            sb.append("null");
        } else {
            sb.append(BigDecimal.valueOf(d).round(SIGNIFICANT).stripTrailingZeros().toPlainString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
