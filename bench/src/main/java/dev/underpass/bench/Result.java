package dev.underpass.bench;

import java.util.Locale;

/**
 * The machine-readable result lines every benchmark prints beside its own human lines, one per figure, which
 * {@code scripts/bench.sh} collects into one table:
 *
 * <pre>RESULT&lt;TAB&gt;target&lt;TAB&gt;metric&lt;TAB&gt;value&lt;TAB&gt;unit&lt;TAB&gt;reference&lt;TAB&gt;verdict</pre>
 *
 * <p>{@code target} names the goal the figure belongs to ({@code 16.1 durable writes}, {@code 14 data plane}, …);
 * {@code reference} is the machine's own reference figure measured in the same run (the {@code fdatasync} rate, a
 * direct connection) and the target it is held against, or a figure quoted from an issue, said so; {@code verdict} is
 * {@code met}, {@code NOT met}, or {@code -} for a figure without a target. Tabs and line breaks never occur inside a
 * field.
 */
final class Result {
    /** floci's figures, measured in the issue 16 sitting with the same load generator: constants, not re-measured. */
    static final String FLOCI = "floci (issue 16, quoted)";

    private Result() {}

    /** A figure held against a target: {@code met} decides the verdict. */
    static void print(String target, String metric, double value, String unit, String reference, boolean met) {
        line(target, metric, value, unit, reference, met ? "met" : "NOT met");
    }

    /** A figure without a target of its own (a reference, a step, a size). */
    static void info(String target, String metric, double value, String unit, String reference) {
        line(target, metric, value, unit, reference, "-");
    }

    private static void line(String target, String metric, double value, String unit, String reference,
            String verdict) {
        System.out.println(String.join("\t", "RESULT", clean(target), clean(metric), number(value), clean(unit),
                clean(reference), verdict));
        System.out.flush();
    }

    /** A figure as the table shows it: thousands grouped from 1,000, one decimal from 10, two below. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }

    /** A percentage of {@code part} in {@code whole}, as text ("36%"). */
    static String percent(double part, double whole) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
