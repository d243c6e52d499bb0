package dev.stripeconnector.support;

/** Reading the metrics endpoint's text. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * A sample line's value: the field after the series, before an exemplar. With tracing on, a counter's line in
     * the OpenMetrics answer ends in the exemplar of its last increment ({@code # {span_id="…",trace_id="…"} 1.0 1796659954.826}).
     */
    public static double value(String line) {
        int exemplar = line.indexOf(" # ");
        String sample = exemplar < 0 ? line : line.substring(0, exemplar);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }
}
