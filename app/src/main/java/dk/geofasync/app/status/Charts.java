package dk.geofasync.app.status;

import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Small bar charts as inline SVG for the status page: no scripts, no external files (the page must
 * work on a machine without internet), one bar per hour with its figure as a tooltip.
 */
final class Charts {

    static final int WIDTH = 432;
    static final int HEIGHT = 60;

    private Charts() {
    }

    /**
     * @param values one per hour, oldest first; negative: no figure for that hour
     * @param label the figure of a bar, for its tooltip and the chart's maximum
     * @param hoursAgoFirst how many hours before now the first bar begins
     */
    static String bars(String id, List<Long> values, LongFunction<String> label, int hoursAgoFirst, String color) {
        long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        double bar = (double) WIDTH / Math.max(1, values.size());
        StringBuilder svg = new StringBuilder(256 + values.size() * 96);
        svg.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                + "xmlns=\"http://www.w3.org/2000/svg\">", StatusPage.e(id), WIDTH, HEIGHT + 14, WIDTH, HEIGHT + 14));
        svg.append(String.format(Locale.ROOT, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", HEIGHT, WIDTH, HEIGHT));
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            if (v < 0) {
                continue;
            }
            double h = v == 0 ? 0 : Math.max(1, (double) v / max * (HEIGHT - 4));
            int ago = hoursAgoFirst - i;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                    i * bar, HEIGHT - h, Math.max(1, bar - 1), h, color,
                    StatusPage.e((ago <= 1 ? "last hour" : (ago - 1) + "-" + ago + " h ago") + ": " + label.apply(v))));
        }
        // every 24 hours a mark, labelled in hours before now
        for (int i = 0; i <= values.size(); i += 24) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#666\" text-anchor=\"%s\">%s</text>", i * bar,
                    HEIGHT + 12, i == 0 ? "start" : i == values.size() ? "end" : "middle", i == values.size() ? "now" : "-" + (hoursAgoFirst - i) + " h"));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"10\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\">max %s</text>", WIDTH,
                StatusPage.e(label.apply(max))));
        return svg.append("</svg>").toString();
    }
}
