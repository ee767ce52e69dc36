package com.datarsync.deploy.suite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values that arrived corrupted before (issue 29), through the snapshot and the stream: a
 * {@code BIGINT UNSIGNED} key above 2^63 (it arrived as a negative number, 2^64-1 as -1) and
 * {@code DATETIME(6)} values outside the 1677–2262 range of 64-bit nanoseconds (year 1000 arrived
 * as 1677-09-21). Expected values are MariaDB's own renderings of each row ({@code CAST(id AS
 * CHAR)}, {@code DATE_FORMAT(…, '%Y-%m-%dT%H:%i:%s.%f')}), compared with Milvus field by field and
 * vector by vector.
 */
class ExactValuesIT extends RunningSuite {

    private static final String TABLE = "exact_values";
    private static final Map<String, String> FIELDS = Map.of("title", "VARCHAR", "content", "VARCHAR",
            "stamp", "VARCHAR");

    @Test
    void unsignedKeysAboveTwoToTheSixtyThirdAndDateTimesFromYear1000To9999ArriveExactly() throws Exception {
        String taskId = "exact_" + runId();
        MariaDbE2eTable source = new MariaDbE2eTable();
        source.create(TABLE, "CREATE TABLE " + TABLE + " (id BIGINT UNSIGNED PRIMARY KEY, title VARCHAR(200), "
                        + "body TEXT, stamp DATETIME(6))",
                "INSERT INTO " + TABLE + " VALUES (1, 'one', 'the first', '1970-01-01 00:00:00'), "
                        + "(9223372036854775807, 'signed max', 'two to the 63 minus one', '1677-09-21 00:12:43.145224'), "
                        + "(9223372036854775808, 'above signed', 'two to the 63', '1000-01-01 00:00:00'), "
                        + "(18446744073709551615, 'unsigned max', 'two to the 64 minus one', '9999-12-31 23:59:59.999999'), "
                        + "(42, 'late', 'just past the nanosecond range', '2262-04-11 23:47:16.854776')");
        try (DataPathClient client = new DataPathClient(); Connection c = source.connect();
             Statement sql = c.createStatement()) {
            try {
                client.startTask(source.titleBodyDefinition(taskId, List.of(TABLE),
                        "{\"name\": \"stamp\", \"type\": \"VARCHAR\", \"maxLength\": 64}"));
                client.awaitMirror(() -> expected(source), FIELDS, taskId, "after the snapshot");

                sql.execute("INSERT INTO " + TABLE + " VALUES (18446744073709551614, 'streamed', 'near the top', "
                        + "'1000-01-01 00:00:00.000001')");
                sql.execute("UPDATE " + TABLE + " SET title = 'unsigned max, edited', stamp = '1000-12-31 12:00:00.5' "
                        + "WHERE id = 18446744073709551615");
                sql.execute("DELETE FROM " + TABLE + " WHERE id = 9223372036854775808");
                client.awaitMirror(() -> expected(source), FIELDS, taskId, "after streamed changes");
            } finally {
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }

    /** The rows as MariaDB renders them: the key as text, the date-time with six fraction digits. */
    private static Map<String, Map<String, Object>> expected(E2eTable source) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (Connection c = source.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CAST(id AS CHAR) AS k, title, body, "
                     + "DATE_FORMAT(stamp, '%Y-%m-%dT%H:%i:%s.%f') AS s FROM " + TABLE)) {
            while (rs.next()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("title", rs.getString("title"));
                e.put("content", rs.getString("body"));
                e.put("stamp", rs.getString("s"));
                out.put(rs.getString("k"), e);
            }
        }
        return out;
    }
}
