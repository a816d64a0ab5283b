package dk.geofasync.app.alert;

import java.util.List;

/**
 * One alert mail's content: a subject and plain lines that name tables, keys, columns and reasons,
 * never object values (the mail leaves VK and is no place for personal data).
 */
public record Alert(AlertKind kind, String subject, List<String> lines) {

    public Alert {
        lines = List.copyOf(lines);
    }

    /** The plain-text body. */
    public String text() {
        return String.join("\n", lines) + "\n\n-- \ngeofa-sync\n";
    }

    /** The HTML body: the same lines, every character escaped. */
    public String html() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><h3>")
                .append(escape(subject)).append("</h3>\n");
        for (String line : lines) {
            b.append(line.isBlank() ? "<br>" : "<p style=\"margin:0.2em 0\">" + escape(line) + "</p>").append('\n');
        }
        return b.append("<p style=\"color:#777\">geofa-sync</p></body></html>\n").toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return b.toString();
    }
}
