package com.datarsync.deploy.suite;

import com.datarsync.deploy.suite.TypeMatrix.Column;
import com.datarsync.deploy.suite.TypeMatrix.KeyType;
import com.datarsync.deploy.suite.TypeMatrix.Poison;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL type matrix ({@link TypeMatrix}): each type at its extremes and special values,
 * mapped and as a key, through the snapshot and the stream, compared with PostgreSQL's own text of
 * every value (session in UTC, intervals in ISO 8601). The conversions below turn PostgreSQL's
 * text into the documented forms (docs/data-path.md "Types"): years BC as ISO years (1 BC is year
 * 0), six fraction digits, instants in UTC with a Z.
 */
class TypeMatrixPostgresIT extends RunningSuite {

    private static final String TEXT = "%s::text";
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d+)-(\\d\\d)-(\\d\\d)(?: (\\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d+))?)?(\\+00)?( BC)?");

    /** PostgreSQL's text of a date, timestamp or timestamptz (session UTC) in the documented form. */
    static String dateTime(String text) {
        Matcher m = DATE_TIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        long year = Long.parseLong(m.group(1));
        if (m.group(7) != null) {
            year = 1 - year;
        }
        String date = LocalDate.of((int) year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))).toString();
        if (m.group(4) == null) {
            return date;
        }
        return date + "T" + m.group(4) + "." + fraction(m.group(5)) + (m.group(6) != null ? "Z" : "");
    }

    private static String fraction(String digits) {
        return ((digits == null ? "" : digits) + "000000").substring(0, 6);
    }

    /** PostgreSQL's text of a time ({@code 24:00:00} included) with six fraction digits. */
    static String time(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? text + ".000000" : text.substring(0, dot) + "." + fraction(text.substring(dot + 1));
    }

    /** A timetz's text as the same instant of the day in UTC, {@code HH:mm:ss.SSSSSSZ}. */
    static String utcTime(String text) {
        String iso = text.matches(".*[+-]\\d\\d$") ? text + ":00" : text;
        java.time.OffsetTime t = java.time.OffsetTime.parse(iso).withOffsetSameInstant(java.time.ZoneOffset.UTC);
        return time(t.toLocalTime().toString().length() == 5 ? t.toLocalTime() + ":00" : t.toLocalTime().toString())
                + "Z";
    }

    static List<Column> columns() {
        return List.of(
                new Column("c_smallint", "smallint", "INT16", TEXT, List.of("-32768", "32767", "0")),
                new Column("c_integer", "integer", "INT32", TEXT, List.of("-2147483648", "2147483647")),
                new Column("c_bigint", "bigint", "INT64", TEXT, List.of("-9223372036854775808", "9223372036854775807")),
                new Column("c_numeric", "numeric", "VARCHAR", TEXT, List.of(
                        "'12345678901234567890.123456789012345678901234567890'", "'-0.000000000000000000000000000001'",
                        "'NaN'", "'0'", "'1e100'", "'Infinity'", "'-Infinity'")),
                new Column("c_numeric_s", "numeric(38,10)", "VARCHAR", TEXT, List.of("'12.5'", "'-99999999.9999999999'")),
                new Column("c_numeric_d", "numeric(10,2)", "DOUBLE", TEXT, List.of("'123.45'", "'-0.01'")),
                new Column("c_real", "real", "FLOAT", TEXT, TypeMatrix::floatText,
                        List.of("'3.4028235e38'", "'-3.4028235e38'", "'1.4e-45'", "'0.1'", "'-0'")),
                new Column("c_real_t", "real", "VARCHAR", TEXT, TypeMatrix::floatText,
                        List.of("'NaN'", "'Infinity'", "'-Infinity'", "'-0'", "'0.1'")),
                new Column("c_double", "double precision", "DOUBLE", TEXT, TypeMatrix::doubleText,
                        List.of("'1.7976931348623157e308'", "'-1.7976931348623157e308'", "'4.9e-324'", "'0.1'", "'-0'")),
                new Column("c_double_t", "double precision", "VARCHAR", TEXT, TypeMatrix::doubleText,
                        List.of("'NaN'", "'Infinity'", "'-Infinity'", "'-0'")),
                new Column("c_bool", "boolean", "BOOL", TEXT, List.of("true", "false")),
                new Column("c_char", "char(10)", "VARCHAR", "%s", List.of("'abc'", "'中文'")),
                new Column("c_varchar", "varchar(100)", "VARCHAR", "%s", List.of("'😀 4-byte 𝄞 ☃'", "''",
                        "E'tab\\t|pipe \\\\ back'")),
                new Column("c_text", "text", "VARCHAR", "%s", List.of("E'line\\nbreak'", "'emoji 🚀✅'")),
                new Column("c_bytea", "bytea", "VARCHAR", "replace(encode(%s, 'base64'), E'\\n', '')",
                        List.of("'\\x00ff10'", "''", "'\\xdeadbeef'")),
                new Column("c_date", "date", "VARCHAR", TEXT, TypeMatrixPostgresIT::dateTime,
                        List.of("'5874897-12-31'", "'1970-01-01'", "'1582-10-15'", "'2000-02-29'")),
                new Column("c_time", "time(6)", "VARCHAR", TEXT, TypeMatrixPostgresIT::time,
                        List.of("'00:00:00'", "'23:59:59.999999'", "'24:00:00'", "'12:00:00.5'")),
                new Column("c_time3", "time(3)", "VARCHAR", TEXT, TypeMatrixPostgresIT::time, List.of("'12:34:56.789'")),
                new Column("c_timetz", "timetz", "VARCHAR", TEXT, TypeMatrixPostgresIT::utcTime,
                        List.of("'12:34:56.789+05:30'", "'00:00:00+00'", "'23:00:00-03'")),
                new Column("c_timestamp", "timestamp(6)", "VARCHAR", TEXT, TypeMatrixPostgresIT::dateTime, List.of(
                        "'294246-12-31 23:59:59.999999'", "'1677-09-21 00:12:43.145224'",
                        "'2262-04-11 23:47:16.854776'", "'1969-12-31 23:59:59.999999'", "'1582-10-15 00:00:00'")),
                new Column("c_timestamp0", "timestamp(0)", "VARCHAR", TEXT, TypeMatrixPostgresIT::dateTime,
                        List.of("'2026-12-08 12:34:56'")),
                new Column("c_timestamp3", "timestamp(3)", "VARCHAR", TEXT, TypeMatrixPostgresIT::dateTime,
                        List.of("'2026-12-08 12:34:56.789'")),
                new Column("c_timestamptz", "timestamptz", "VARCHAR", TEXT, TypeMatrixPostgresIT::dateTime, List.of(
                        "'2026-12-08 12:34:56.123456+08'", "'1970-01-01 00:00:00+00'",
                        "'1582-10-15 00:00:00-05'")),
                new Column("c_interval", "interval", "VARCHAR", TEXT, List.of("'1 year 2 months 3 days 04:05:06.789'",
                        "'-1 day'", "'0'", "'178000000 years'", "'1 mon -1 day'")),
                new Column("c_uuid", "uuid", "VARCHAR", TEXT, List.of("'123e4567-e89b-12d3-a456-426614174000'")),
                new Column("c_inet", "inet", "VARCHAR", "%s", List.of("'192.168.0.1/24'", "'::1'", "'10.0.0.1'")),
                new Column("c_cidr", "cidr", "VARCHAR", "%s", List.of("'10.0.0.0/8'", "'2001:db8::/32'")),
                new Column("c_macaddr", "macaddr", "VARCHAR", TEXT, List.of("'08:00:2b:01:02:03'")),
                new Column("c_json", "json", "JSON", TEXT, List.of("'{\"a\": [1, 2.5, \"😀\"], \"n\": null}'", "'[]'",
                        "'\"text\"'")),
                new Column("c_jsonb", "jsonb", "JSON", TEXT, List.of("'{\"b\": 1, \"a\": \"😀\"}'", "'{}'")),
                new Column("c_jsonb_text", "jsonb", "VARCHAR", TEXT, List.of("'{\"b\":   1, \"a\": [true]}'")),
                new Column("c_int_array", "integer[]", "JSON", "array_to_json(%s)::text",
                        List.of("'{1,2,3}'", "'{}'", "'{NULL,-2147483648}'")),
                new Column("c_text_array", "text[]", "JSON", "array_to_json(%s)::text",
                        List.of("'{\"a\",\"b c\",\"😀\"}'", "'{\"\"}'")),
                new Column("c_enum", "tm_mood", "VARCHAR", TEXT, List.of("'sad'", "'😀'")),
                new Column("c_money", "money", "VARCHAR", "%s::numeric::text", List.of("'12.34'", "'-9999999999999.99'", "'12'")),
                new Column("c_bit1", "bit(1)", "BOOL", "(%s = B'1')::text", List.of("B'0'", "B'1'")),
                new Column("c_bit64", "bit(64)", "VARCHAR", TEXT, List.of(
                        "B'1111111111111111111111111111111111111111111111111111111111111111'",
                        "B'1000000000000000000000000000000000000000000000000000000000000001'")),
                new Column("c_xml", "xml", "VARCHAR", TEXT, List.of("'<a x=\"1\">text</a>'")));
    }

    static List<Poison> poisons() {
        return List.of(
                new Poison("c_numeric_d", "'NaN'", "is not a valid DOUBLE"),
                new Poison("c_real", "'NaN'", "is not a valid FLOAT"),
                new Poison("c_real", "'Infinity'", "is not a valid FLOAT"),
                new Poison("c_double", "'-Infinity'", "is not a valid DOUBLE"),
                new Poison("c_timestamptz", "'infinity'", "cannot be carried"),
                new Poison("c_timestamp", "'infinity'", "cannot be carried"),
                new Poison("c_timestamp", "'-infinity'", "cannot be carried"),
                new Poison("c_timestamp", "'294276-12-31 23:59:59.999999'", "cannot be carried"),
                new Poison("c_date", "'infinity'", "cannot be carried"),
                new Poison("c_money", "'-92233720368547758.08'", "cannot be carried"));
    }

    static List<KeyType> keys() {
        return List.of(
                new KeyType("smallint", "smallint", TEXT, List.of("-32768", "32767")),
                new KeyType("bigint", "bigint", TEXT, List.of("-9223372036854775808", "9223372036854775807", "-1")),
                new KeyType("numeric", "numeric", TEXT,
                        List.of("'1.500'", "'-1.5'", "'0.0'", "'1e20'", "'0.000000000000000000000000000001'")),
                new KeyType("text", "text", "%s", List.of("'a'", "'😀𝄞'", "'中文'", "'x/y'", "''")),
                new KeyType("uuid", "uuid", TEXT, List.of("'123e4567-e89b-12d3-a456-426614174000'")),
                new KeyType("date", "date", TEXT, TypeMatrixPostgresIT::dateTime,
                        List.of("'5874897-12-31'", "'2026-12-08'", "'1582-10-15'")),
                new KeyType("timestamp", "timestamp(6)", TEXT, TypeMatrixPostgresIT::dateTime,
                        List.of("'294246-12-31 23:59:59.999999'", "'2026-12-08 12:00:00.5'")),
                new KeyType("timestamptz", "timestamptz", TEXT, TypeMatrixPostgresIT::dateTime,
                        List.of("'2026-12-08 12:00:00+08'", "'1970-01-01 00:00:00+00'")),
                new KeyType("time", "time(6)", TEXT, TypeMatrixPostgresIT::time, List.of("'00:00:00'", "'24:00:00'",
                        "'12:00:00.000001'")),
                new KeyType("bytea", "bytea", "replace(encode(%s, 'base64'), E'\\n', '')",
                        List.of("'\\x00'", "'\\xff10'")),
                new KeyType("bool", "boolean", TEXT, List.of("true", "false")),
                new KeyType("bit8", "bit(8)", TEXT, List.of("B'10000001'", "B'00000000'")),
                new KeyType("double", "double precision", TEXT,
                        t -> new BigDecimal(Double.toString(Double.parseDouble(t))).stripTrailingZeros().toPlainString(),
                        List.of("'0.1'", "'-1.5'", "'1e300'")));
    }

    /** Debezium carries bit varying without its length (B'0001' and B'1' alike): a task keeping such a column is refused. */
    @Test
    void aTableWithABitVaryingColumnIsRefusedUnlessExcluded() throws Exception {
        PostgresE2eTable source = new PostgresE2eTable();
        String taskId = "tmvarbit_" + runId();
        source.create("tm_varbit", "CREATE TABLE tm_varbit (id INT PRIMARY KEY, title VARCHAR(20), body TEXT, flags varbit(16))");
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.createTask(source.titleBodyDefinition(taskId, List.of("tm_varbit")));
                java.net.http.HttpResponse<String> refused = client.action(taskId, "start");
                org.assertj.core.api.Assertions.assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
                org.assertj.core.api.Assertions.assertThat(refused.body()).contains("DRS-4000")
                        .contains("bit varying columns [flags]");
            } finally {
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }

    @Test
    void everyPostgresTypeArrivesAsPostgresRendersIt() throws Exception {
        PostgresE2eTable source = new PostgresE2eTable();
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TypeMatrix.VALUES);
            s.execute("DROP TYPE IF EXISTS tm_mood");
            s.execute("CREATE TYPE tm_mood AS ENUM ('sad', 'ok', '😀')");
        }
        TypeMatrix matrix = new TypeMatrix(source, columns(), poisons(), keys(),
                "SET TIME ZONE 'UTC'; SET intervalstyle = 'iso_8601'");
        matrix.run(runId(), keyTask -> { });
    }
}
