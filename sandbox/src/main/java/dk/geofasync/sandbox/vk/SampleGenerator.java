package dk.geofasync.sandbox.vk;

import dk.geofasync.core.fkg.FkgCatalogue;
import dk.geofasync.core.fkg.FkgCheck;
import dk.geofasync.core.fkg.FkgCode;
import dk.geofasync.core.fkg.FkgCodeList;
import dk.geofasync.core.fkg.FkgColumn;
import dk.geofasync.core.fkg.FkgType;
import dk.geofasync.core.fkg.GeometryType;
import dk.geofasync.core.mapping.ColumnMapping;
import dk.geofasync.core.mapping.TableMapping;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes sample VK objects: Danish names, codes drawn from GeoFA's real code lists (the catalogue's
 * codes in use), values within the real model's rules (day-and-month dates in year 1, route lengths
 * in km), geometries inside Vejle Kommune, drawn as staff draw them (mostly single parts). The same seed gives the same rows, so a reset
 * always returns to the same state. Every 40th object is already in GeoFA (has an objekt_id).
 */
public final class SampleGenerator {

    /** One object in this many already carries an objekt_id. */
    static final int LINKED_EVERY = 40;

    private static final List<String> PLACES = List.of(
            "Vejle Fjord", "Fårup Sø", "Munkebjerg", "Jelling Sø", "Grejsdalen", "Rosenvold", "Tirsbæk Strand", "Stouby",
            "Vingsted", "Nørreskoven", "Bindeballe", "Randbøl Hede", "Egtved", "Give", "Børkop", "Bredsten", "Daugård Strand",
            "Hvidbjerg Strand", "Kongens Kær", "Ravning Enge", "Vejle Ådal", "Søndermarken", "Skibet", "Ødsted", "Gauerslund",
            "Brejning", "Højen", "Thyregod", "Vandel", "Kollemorten");
    private static final List<String> PEOPLE = List.of(
            "Anne Jensen", "Mads Nielsen", "Sofie Hansen", "Lars Pedersen", "Mette Kristensen", "Søren Larsen", "Ida Sørensen",
            "Jens Rasmussen", "Karen Jørgensen", "Niels Madsen");
    private static final List<String> DEPARTMENTS = List.of("Park og Natur", "Teknik og Miljø", "Kultur og Fritid", "Vej og Trafik");
    private static final List<String> ROUTE_NAMES = List.of("stien", "ruten", "sporet", "løbet", "turen");
    private static final List<String> CHARGE_OPERATORS = List.of("Clever", "E.ON Drive", "Spirii", "Vejle Kommune");
    private static final List<String> PLUGS = List.of("Type 2", "CCS", "CHAdeMO", "Type 2 og CCS");

    // inside the sandbox geofence with a margin, so lines and areas stay inside too
    private static final double MIN_X = 521_000;
    private static final double MAX_X = 566_000;
    private static final double MIN_Y = 6_163_000;
    private static final double MAX_Y = 6_187_000;

    private final FkgCatalogue catalogue = FkgCatalogue.standard();
    private final long seed;

    public SampleGenerator(long seed) {
        this.seed = seed;
    }

    /** Object number {@code index} (from 1) of a table; independent of other tables and other objects. */
    public SampleRow row(TableMapping table, int tableIndex, long index) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + tableIndex * 10_000_019L + index);
        Map<String, Object> values = new HashMap<>();
        Geometry geometry = geometry(table.theme().geometryType(), random);
        String kind = null;
        for (ColumnMapping c : table.columns()) {
            FkgColumn column = table.theme().column(c.geofaColumn()).orElseThrow();
            Object value = value(column, random, geometry);
            if (value != null) {
                values.put(c.vkColumn(), value);
                if (column.name().equals("facil_ty_k") || column.name().equals("rute_ty_k")) {
                    kind = label(column, value);
                }
            }
        }
        table.columnFromGeofa("navn").ifPresent(c -> values.put(c.vkColumn(), nameFor(table.theme().geometryType(), values, random)));
        ownColumns(values, random);
        if (kind != null) {
            String finalKind = kind;
            table.columnFromGeofa("beskrivels").ifPresent(c -> values.put(c.vkColumn(),
                    finalKind + " ved " + pick(PLACES, random) + ". Vedligeholdes af Vejle Kommune."));
        }
        Optional<UUID> objektId = index % LINKED_EVERY == 7 ? Optional.of(versionOneUuid(random)) : Optional.empty();
        return new SampleRow(index, objektId, values);
    }

    private Object value(FkgColumn column, SplittableRandom random, Geometry geometry) {
        switch (column.name()) {
            case "geometri":
                return geometry.ewkt();
            case "statuskode":
                return random.nextInt(100) < 85 ? 3 : random.nextInt(1, 3);
            case "off_kode":
                return random.nextInt(100) < 90 ? 1 : 3;
            case "oprindkode":
                return List.of(7, 7, 4, 1, 0).get(random.nextInt(5));
            case "kontak_ved":
                return random.nextInt(100) < 20 ? pick(PEOPLE, random) : null;
            case "ansvar_org":
                return "Vejle Kommune";
            case "link":
                return random.nextInt(100) < 15 ? "https://www.vejle.dk/oplevelser/" + random.nextInt(1000, 9999) : null;
            case "antal_pl":
                return random.nextInt(100) < 30 ? random.nextInt(1, 41) : null;
            case "straekn_nr":
                return random.nextInt(100) < 30 ? String.valueOf(random.nextInt(1, 21)) : null;
            case "laengde":
                // GeoFA keeps route lengths in km, within its CHECK (0.1 - 500.99)
                return Math.max(0.1, Math.round(geometry.length() / 100) / 10.0);
            case "udd_distrikt_navn":
                return pick(PLACES, random) + " Skoledistrikt";
            case "udd_distrikt_nr":
                return random.nextInt(1, 60);
            case "antal_ladepunkter":
                return random.nextInt(2, 13);
            case "ejer_ladefacilitet":
            case "operatoer_ladefacilitet":
                return pick(CHARGE_OPERATORS, random);
            case "stiktype":
                return pick(PLUGS, random);
            case "driftstart_fra":
                return LocalDate.of(2019, 1, 1).plusDays(random.nextInt(2400)).toString();
            case "saeson_st":
            case "saeson_sl":
                return random.nextInt(100) < 30 ? season(column, column.name().equals("saeson_st"), random) : null;
            default:
                break;
        }
        Optional<FkgCodeList> list = catalogue.codeListOf(column);
        if (list.isPresent()) {
            List<FkgCode> codes = list.get().activeCodes().isEmpty() ? list.get().codes() : list.get().activeCodes();
            if (codes.isEmpty() || !(column.required() || random.nextInt(100) < 25)) {
                return null; // an empty list (d_vejnavn in the model) takes no value at all
            }
            String code = codes.get(random.nextInt(codes.size())).code();
            return list.get().keyType().isWholeNumber() ? (Object) Long.parseLong(code) : code;
        }
        return null;
    }

    /** A season's first or last day: a date in year 1 where the model keeps day and month only, else text. */
    private static Object season(FkgColumn column, boolean start, SplittableRandom random) {
        LocalDate day = LocalDate.of(1, start ? random.nextInt(3, 6) : random.nextInt(8, 11), random.nextInt(1, 29));
        boolean yearOne = column.checks().stream().anyMatch(c -> c.rule() instanceof FkgCheck.Year y && y.year() == 1);
        if (column.type() == FkgType.DATE) {
            return yearOne ? day.toString() : day.withYear(2025).toString();
        }
        return day.getDayOfMonth() + ". " + java.time.format.DateTimeFormatter.ofPattern("MMMM", Locale.forLanguageTag("da")).format(day);
    }

    private String label(FkgColumn column, Object code) {
        return catalogue.codeListOf(column).flatMap(l -> l.find(String.valueOf(code))).map(FkgCode::label).orElse("Facilitet");
    }

    private String nameFor(GeometryType type, Map<String, Object> values, SplittableRandom random) {
        String place = pick(PLACES, random);
        if (type == GeometryType.MULTI_LINE_STRING) {
            return place.split(" ")[0] + pick(ROUTE_NAMES, random);
        }
        Object facility = values.get("facil_ty_k");
        String text = facility == null ? "Facilitet" : catalogue.codeList("d_5800_facilitet")
                .flatMap(l -> l.find(String.valueOf(facility))).map(FkgCode::label).orElse("Facilitet");
        return text + " ved " + place;
    }

    private static void ownColumns(Map<String, Object> values, SplittableRandom random) {
        if (random.nextInt(100) < 20) {
            values.put("intern_bemaerkning", "Tjek ved næste tilsyn");
        }
        values.put("ansvarlig_afdeling", pick(DEPARTMENTS, random));
        values.put("tilsyn_dato", LocalDate.of(2024, 1, 1).plusDays(random.nextInt(1000)).toString());
        values.put("rettet_af", pick(PEOPLE, random).toLowerCase(Locale.ROOT).replace(' ', '.'));
    }

    private static Geometry geometry(GeometryType type, SplittableRandom random) {
        double x = MIN_X + random.nextDouble() * (MAX_X - MIN_X);
        double y = MIN_Y + random.nextDouble() * (MAX_Y - MIN_Y);
        return switch (type) {
            case MULTI_POINT -> random.nextInt(100) < 85
                    ? new Geometry("POINT(" + xy(x, y) + ")", 0)
                    : new Geometry("MULTIPOINT((" + xy(x, y) + "))", 0);
            case MULTI_LINE_STRING -> line(x, y, random);
            case MULTI_POLYGON -> polygon(x, y, random);
            case POINT -> new Geometry("POINT(" + xy(x, y) + ")", 0);
            case NONE -> new Geometry("", 0);
        };
    }

    private static Geometry line(double x, double y, SplittableRandom random) {
        int vertices = random.nextInt(3, 9);
        double heading = random.nextDouble() * 2 * Math.PI;
        StringBuilder wkt = new StringBuilder("LINESTRING(").append(xy(x, y));
        double length = 0;
        for (int i = 1; i < vertices; i++) {
            double step = 80 + random.nextDouble() * 320;
            heading += (random.nextDouble() - 0.5) * 1.2;
            x += Math.cos(heading) * step;
            y += Math.sin(heading) * step;
            length += step;
            wkt.append(", ").append(xy(x, y));
        }
        return new Geometry(wkt.append(')').toString(), length);
    }

    private static Geometry polygon(double x, double y, SplittableRandom random) {
        int vertices = random.nextInt(5, 9);
        double radius = 15 + random.nextDouble() * 135;
        StringBuilder ring = new StringBuilder();
        String first = null;
        for (int i = 0; i < vertices; i++) {
            double angle = 2 * Math.PI * i / vertices;
            double r = radius * (0.7 + random.nextDouble() * 0.3);
            String point = xy(x + Math.cos(angle) * r, y + Math.sin(angle) * r);
            first = first == null ? point : first;
            ring.append(point).append(", ");
        }
        return new Geometry("POLYGON((" + ring + first + "))", 0);
    }

    private static String xy(double x, double y) {
        return String.format(Locale.ROOT, "%.2f %.2f", x, y);
    }

    private static <T> T pick(List<T> list, SplittableRandom random) {
        return list.get(random.nextInt(list.size()));
    }

    /** A time-based (version 1) UUID, as GeoFA makes them, drawn from the seeded random. */
    private static UUID versionOneUuid(SplittableRandom random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x1000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** A drawn geometry as EWKT, with the length of a line (0 for others). */
    private record Geometry(String wkt, double length) {
        String ewkt() {
            return "SRID=25832;" + wkt;
        }
    }
}
