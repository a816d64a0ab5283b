package dk.geofasync.app.initmapping;

import java.util.Locale;

/**
 * How close two column names are: the same once case, underscores and the Danish letters' spellings
 * are set aside ({@code Længde} and {@code laengde}), or a few edits apart ({@code handikap} and
 * {@code handicap_k}).
 */
final class SimilarNames {

    private SimilarNames() {
    }

    /** Lower case, æ ø å as ae oe aa, no underscores. */
    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("_", "");
    }

    /** The most edits two normalised names may be apart and still count as close: 1 for short names, else 2. */
    static int allowedDistance(String a, String b) {
        return Math.min(a.length(), b.length()) <= 4 ? 1 : 2;
    }

    /** Edits (insert, delete, replace, swap of neighbours) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
