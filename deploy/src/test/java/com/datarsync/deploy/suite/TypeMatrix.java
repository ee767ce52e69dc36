package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The type matrix of one source database (issue 29): every column type the connector carries,
 * each at its extremes and special values, as a mapped field and as a key, through the snapshot
 * and through the stream.
 *
 * <p>Two tasks run side by side. The <b>values task</b> captures {@code tm_values}: an {@code id}
 * and one column per type, each mapped to a Milvus field of the type docs/data-path.md suggests,
 * all of them rendered by one template (every column, {@code name=value;}) into a chunk whose text
 * Milvus keeps ({@code target.chunkTextField}). The <b>keys task</b> captures one table per key
 * type ({@code tmk_<type>}, the type as primary key). Expected values are the database's own
 * renderings of each value ({@link Column#render}, an SQL expression), turned into a Milvus value
 * by the documented rule of the field's type here, never by the product's code; each row's text is
 * the template filled with those renderings, its vector the reference model's vector of that
 * text. A value the event model or Milvus cannot hold is a {@link Poison}: its row must reach the
 * dead letters naming the column, and nothing of it Milvus.
 */
final class TypeMatrix {

    /**
     * A column of the values table.
     *
     * @param name   column and field name
     * @param type   its SQL type
     * @param field  the Milvus field type it is mapped to
     * @param render SQL giving the database's text of the value, {@code %s} standing for the column
     * @param text   turns that text into the form the product's rule gives (identity when equal)
     * @param values SQL literals, one per row; rows past the list hold NULL
     */
    record Column(String name, String type, String field, String render, UnaryOperator<String> text,
            List<String> values) {
        Column(String name, String type, String field, String render, List<String> values) {
            this(name, type, field, render, UnaryOperator.identity(), values);
        }
    }

    /** A value that cannot be carried: its row (only this column set) must be dead-lettered with the reason. */
    record Poison(String column, String literal, String reason) {
    }

    /**
     * A key type: table {@code tmk_<name>} with the type as primary key.
     *
     * @param render SQL giving the database's text of the key, {@code %s} standing for the column
     * @param text   turns that text into the row key the documented format gives
     */
    record KeyType(String name, String type, String render, UnaryOperator<String> text, List<String> values) {
        KeyType(String name, String type, String render, List<String> values) {
            this(name, type, render, UnaryOperator.identity(), values);
        }
    }

    /**
     * The documented text of a FLOAT column's value: the float's shortest decimal, its digits
     * written out without exponent ({@code 3.4028235E38} is 340282350000000000000000000000000000000);
     * NaN and the infinities by name; negative zero as zero.
     */
    static String floatText(String dbText) {
        float f = Float.parseFloat(dbText);
        return Float.isFinite(f) ? new BigDecimal(Float.toString(f)).toPlainString() : Float.toString(f);
    }

    /** As {@link #floatText} for a DOUBLE column: the double's shortest decimal without exponent. */
    static String doubleText(String dbText) {
        double d = Double.parseDouble(dbText);
        return Double.isFinite(d) ? new BigDecimal(Double.toString(d)).toPlainString() : Double.toString(d);
    }

    static final String VALUES = "tm_values";
    private static final int STREAMED = 1000;

    private final E2eTable source;
    private final List<Column> columns;
    private final List<Poison> poisons;
    private final List<KeyType> keys;
    private final String sessionSetup;

    /** @param sessionSetup SQL run on each connection before it writes or reads the tables (time zone, SQL mode) */
    TypeMatrix(E2eTable source, List<Column> columns, List<Poison> poisons, List<KeyType> keys, String sessionSetup) {
        this.source = source;
        this.columns = columns;
        this.poisons = poisons;
        this.keys = keys;
        this.sessionSetup = sessionSetup;
    }

    private Connection connect() throws SQLException {
        Connection c = source.connect();
        if (sessionSetup != null) {
            try (Statement s = c.createStatement()) {
                s.execute(sessionSetup);
            }
        }
        return c;
    }

    private int regularRows() {
        return columns.stream().mapToInt(c -> c.values().size()).max().orElse(0) + 1;   // + one row of NULLs
    }

    /** Creates and fills the tables: the snapshot's rows. */
    void createTables() throws SQLException {
        source.create(VALUES, "CREATE TABLE " + VALUES + " (id INT PRIMARY KEY, " + columns.stream()
                .map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", ")) + ")");
        for (KeyType k : keys) {
            source.create("tmk_" + k.name(), "CREATE TABLE tmk_" + k.name() + " (k " + k.type()
                    + " PRIMARY KEY, note VARCHAR(40))");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            insertValues(s, 0);
            for (KeyType k : keys) {
                insertKeys(s, k, "snapshot");
            }
        }
    }

    private void insertValues(Statement s, int offset) throws SQLException {
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        for (int row = 0; row < regularRows(); row++) {
            int r = row;
            s.execute("INSERT INTO " + VALUES + " (id, " + names + ") VALUES (" + (offset + row + 1) + ", "
                    + columns.stream().map(c -> r < c.values().size() ? c.values().get(r) : "NULL")
                    .collect(Collectors.joining(", ")) + ")");
        }
        for (int i = 0; i < poisons.size(); i++) {
            Poison p = poisons.get(i);
            s.execute("INSERT INTO " + VALUES + " (id, " + p.column() + ") VALUES (" + poisonId(offset, i) + ", "
                    + p.literal() + ")");
        }
    }

    private static int poisonId(int offset, int index) {
        return offset + 500 + index;
    }

    private static void insertKeys(Statement s, KeyType k, String note) throws SQLException {
        for (int i = 0; i < k.values().size(); i++) {
            s.execute("INSERT INTO tmk_" + k.name() + " VALUES (" + k.values().get(i) + ", '" + note + " " + i + "')");
        }
    }

    /** The changes the stream must carry: every row again under other ids, every key deleted and written again. */
    void streamChanges() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            insertValues(s, STREAMED);
            for (KeyType k : keys) {
                s.execute("DELETE FROM tmk_" + k.name());
                insertKeys(s, k, "streamed");
            }
        }
    }

    String valuesDefinition(String taskId) {
        String fields = columns.stream().map(c -> "{\"name\": \"" + c.name() + "\", \"type\": \"" + c.field() + "\""
                + (c.field().equals("VARCHAR") ? ", \"maxLength\": 4096" : "") + "}").collect(Collectors.joining(", "));
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s,
                 "tables": [{"table": "%s"}],
                 "target": {"collection": "%s", "primaryKeyField": "pk", "rowKeyField": "row_key", "chunkTextField": "chunk",
                            "scalarFields": [%s],
                            "vectors": [{"name": "embedding", "dimension": 384, "metric": "COSINE",
                                         "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2",
                                                       "template": "%s",
                                                       "chunking": {"by": "CHARACTERS", "size": 100000}}}]}}
                """.formatted(taskId, source.sourceJson(), VALUES, taskId, fields, template());
    }

    String keysDefinition(String taskId) {
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s,
                 "tables": [%s],
                 "target": {"collection": "%s", "primaryKeyField": "pk",
                            "scalarFields": [{"name": "note", "type": "VARCHAR", "maxLength": 64}],
                            "vectors": [{"name": "embedding", "dimension": 384, "metric": "COSINE",
                                         "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2",
                                                       "template": "{note}"}}]}}
                """.formatted(taskId, source.sourceJson(), keys.stream().map(k -> "{\"table\": \"tmk_" + k.name() + "\"}")
                .collect(Collectors.joining(", ")), taskId);
    }

    /** Every column as {@code name=value;}, so the text shows each rendering (JSON-escaped for the definition). */
    private String template() {
        return columns.stream().map(c -> c.name() + "={" + c.name() + "};").collect(Collectors.joining());
    }

    /** The rows of the values table by id, each column as the database renders it (null for NULL). */
    private Map<Integer, Map<String, String>> renderedValues() throws SQLException {
        Map<Integer, Map<String, String>> out = new LinkedHashMap<>();
        String select = columns.stream().map(c -> c.render().formatted(c.name()) + " AS " + c.name())
                .collect(Collectors.joining(", "));
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, " + select + " FROM " + VALUES + " ORDER BY id")) {
            while (rs.next()) {
                if (isPoison(rs.getInt("id"))) {
                    continue;   // never in Milvus; their dead letters are checked apart
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (Column column : columns) {
                    String text = rs.getString(column.name());
                    row.put(column.name(), text == null ? null : column.text().apply(text));
                }
                out.put(rs.getInt("id"), row);
            }
        }
        return out;
    }

    private boolean isPoison(int id) {
        int base = id >= STREAMED ? id - STREAMED : id;
        return base >= 500 && base < 500 + poisons.size();
    }

    /** Every difference between the values table and its collection; empty when Milvus mirrors it exactly. */
    List<String> valueDifferences(DataPathClient client, String collection) throws SQLException {
        Map<Integer, Map<String, String>> rows = renderedValues();
        List<String> fields = new ArrayList<>(columns.stream().map(Column::name).toList());
        fields.add("chunk");
        fields.add("row_key");
        Map<String, Map<String, Object>> actual = client.entities(collection, fields);
        List<String> out = new ArrayList<>();
        Map<String, String> texts = new HashMap<>();
        Set<String> expectedKeys = new TreeSet<>();
        rows.forEach((id, row) -> {
            if (!isPoison(id)) {
                expectedKeys.add(id + "#0");
                texts.put(id + "#0", text(row));
            }
        });
        Set<String> missing = new TreeSet<>(expectedKeys);
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expectedKeys);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            out.add("entities missing " + missing + ", not expected " + extra + "; dead letters: " + deadLetterReasons(
                    collection));
        }
        DataPathClient.references(texts.values());
        for (Map.Entry<Integer, Map<String, String>> row : rows.entrySet()) {
            String pk = row.getKey() + "#0";
            Map<String, Object> entity = actual.get(pk);
            if (entity == null) {
                continue;
            }
            for (Column c : columns) {
                String text = row.getValue().get(c.name());
                Object got = entity.get(c.name());
                String problem = fieldDifference(c.field(), text, got);
                if (problem != null) {
                    out.add("id " + row.getKey() + " " + c.name() + " (" + c.type() + "): source " + text + ", Milvus "
                            + got + (problem.isEmpty() ? "" : " (" + problem + ")"));
                }
            }
            String text = texts.get(pk);
            if (!text.equals(entity.get("chunk"))) {
                out.add("id " + row.getKey() + " rendered text: expected " + text + ", Milvus " + entity.get("chunk"));
            } else if (RawOnnxRuntime.cosine(DataPathClient.reference(text), (List<?>) entity.get("embedding")) < 0.999) {
                out.add("id " + row.getKey() + ": the vector is not the model's vector of the rendered text");
            }
        }
        return out;
    }

    /** Null when Milvus holds what the field's type makes of the database's text; otherwise why not. */
    private static String fieldDifference(String field, String text, Object got) {
        boolean gotNull = got == null || got instanceof com.google.gson.JsonNull;
        if (text == null || gotNull) {
            return text == null && gotNull ? null : "";
        }
        return switch (field) {
            case "INT8", "INT16", "INT32", "INT64" -> new BigDecimal(text).compareTo(new BigDecimal(got.toString())) == 0
                    ? null : "";
            case "BOOL" -> (text.equals("true") || (!text.equals("false") && new BigDecimal(text).signum() != 0))
                    == (Boolean) got ? null : "";
            case "FLOAT" -> Float.compare(Float.parseFloat(text), ((Number) got).floatValue()) == 0 ? null : "";
            case "DOUBLE" -> Double.compare(Double.parseDouble(text), ((Number) got).doubleValue()) == 0 ? null : "";
            case "JSON" -> E2eTable.json(text).equals(E2eTable.json(got.toString())) ? null : "as JSON";
            default -> text.equals(got) ? null : "";
        };
    }

    /** The task's dead letters as key, stage and reason (a failure's explanation). */
    private static List<String> deadLetterReasons(String taskId) {
        try {
            return TaskTopics.deadLetters(taskId, 0).stream().map(l -> l.path("key").asText() + " " + l.path("stage")
                    .asText() + ": " + l.path("reason").asText()).toList();
        } catch (Exception e) {
            return List.of("unreadable: " + e);
        }
    }

    /**
     * The console's template preview of the values table renders every regular row (the first
     * {@link #regularRows()}, in key order) exactly as the database's own text says it must, the
     * text the pipeline stores in the chunk field.
     */
    void assertPreviewRendersEveryType() throws Exception {
        String base = "/api/datasources/" + source.dataSourceId() + "/schemas/" + source.schema() + "/tables/" + VALUES
                + "/preview";
        java.net.http.HttpResponse<String> answer = SuiteProcesses.get(SuiteProcesses.gateway(base + "?limit="
                + regularRows() + "&template=" + java.net.URLEncoder.encode(template(),
                java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, String> previewed = new java.util.TreeMap<>();
        E2eTable.JSON.readTree(answer.body()).path("rows").forEach(r -> previewed.put(r.path("values").path("id")
                .asText(), r.path("text").asText()));
        Map<String, String> expected = new java.util.TreeMap<>();
        renderedValues().forEach((id, row) -> {
            if (id <= regularRows()) {
                expected.put(Integer.toString(id), text(row));
            }
        });
        assertThat(previewed).as("the template preview of every type").isEqualTo(expected);
    }

    private String text(Map<String, String> row) {
        return columns.stream().map(c -> c.name() + "=" + Objects.requireNonNullElse(row.get(c.name()), "") + ";")
                .collect(Collectors.joining());
    }

    /** Each poison row dead-lettered (snapshot and stream copies) naming its column, and none in Milvus. */
    void assertPoisonsDeadLettered(String taskId, int copies) throws Exception {
        List<JsonNode> letters = TaskTopics.deadLetters(taskId, poisons.size() * copies);
        Map<String, String> reasons = letters.stream().collect(Collectors.toMap(l -> l.path("key").asText(),
                l -> l.path("stage").asText() + ": " + l.path("reason").asText(), (a, b) -> a + " / " + b));
        for (int copy = 0; copy < copies; copy++) {
            for (int i = 0; i < poisons.size(); i++) {
                Poison p = poisons.get(i);
                String key = source.schema() + "." + VALUES + "/" + poisonId(copy * STREAMED, i);
                assertThat(reasons).as("dead letter of %s = %s", p.column(), p.literal()).containsKey(key);
                assertThat(reasons.get(key)).as("dead letter of %s = %s", p.column(), p.literal())
                        .contains(p.column()).contains(p.reason());
            }
        }
        assertThat(letters).as("dead letters").hasSize(poisons.size() * copies);
    }

    /** Every difference between the key tables and the keys collection (row keys and each row's note). */
    List<String> keyDifferences(DataPathClient client, String collection) throws SQLException {
        Map<String, String> expected = new java.util.TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (KeyType k : keys) {
                try (ResultSet rs = s.executeQuery("SELECT " + k.render().formatted("k") + ", note FROM tmk_" + k.name())) {
                    while (rs.next()) {
                        expected.put(source.schema() + ".tmk_" + k.name() + "/" + k.text().apply(rs.getString(1)),
                                rs.getString(2));
                    }
                }
            }
        }
        Map<String, Map<String, Object>> actual = client.entities(collection, List.of("note"));
        List<String> out = new ArrayList<>();
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            out.add("row keys missing " + missing + ", not expected " + extra + "; dead letters: "
                    + deadLetterReasons(collection));
        }
        expected.forEach((key, note) -> {
            Map<String, Object> entity = actual.get(key);
            if (entity != null && !note.equals(entity.get("note"))) {
                out.add("key " + key + ": note " + entity.get("note") + ", source " + note);
            }
        });
        return out;
    }

    /**
     * Verifies the values task with every row sampled: the listener reads each row again over JDBC
     * (JdbcColumnValues) and data-process renders and embeds it again, so a value whose JDBC
     * reading differed from the capture's would show as a stale row. Only the poison rows may be
     * missing.
     */
    void assertVerifiedValues(String taskId, int copies) throws Exception {
        JsonNode report = verify(taskId).path("report");
        List<String> poisonKeys = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            for (int i = 0; i < poisons.size(); i++) {
                poisonKeys.add(Integer.toString(poisonId(copy * STREAMED, i)));
            }
        }
        assertThat(report.path("sampled").asLong()).as("every regular row compared: " + report)
                .isEqualTo(report.path("sourceTotal").asLong() - poisonKeys.size());
        assertThat(report.path("stale")).as(report.toString()).isEmpty();
        assertThat(report.path("ghosts").path("keys")).as(report.toString()).isEmpty();
        assertThat(report.path("missing").path("keys")).extracting(JsonNode::asText).as(report.toString())
                .containsExactlyInAnyOrderElementsOf(poisonKeys);
    }

    /** Verifies the keys task with every row sampled: equal. */
    static void assertVerifiedKeys(String taskId) throws Exception {
        JsonNode verification = verify(taskId);
        assertThat(verification.path("state").asText()).as(verification.toString()).isEqualTo("EQUAL");
        assertThat(verification.path("report").path("sampled").asLong()).as(verification.toString())
                .isEqualTo(verification.path("report").path("sourceTotal").asLong());
        // Every sampled row was read back from the source by its key and compared.
        assertThat(verification.path("report").path("rejected")).as(verification.toString()).isEmpty();
    }

    /** Runs a verification of the task with a sample of 200 rows and returns it once it has ended. */
    private static JsonNode verify(String taskId) throws Exception {
        java.net.http.HttpResponse<String> started = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId
                + "/verifications?sample=200"), "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = E2eTable.JSON.readTree(started.body()).path("id").asLong();
        JsonNode[] last = new JsonNode[1];
        await("verification of " + taskId).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> !"RUNNING".equals((last[0] = E2eTable.JSON.readTree(SuiteProcesses.get(
                        SuiteProcesses.gateway("/api/tasks/" + taskId + "/verifications/" + id)).body()))
                        .path("state").asText()));
        return last[0];
    }

    /** A check on the keys task once its snapshot is mirrored (its task id). */
    @FunctionalInterface
    interface KeysCheck {
        void check(String keyTask) throws Exception;
    }

    /**
     * The whole matrix: creates and fills the tables, runs the values and keys tasks through the
     * snapshot (mirror, dead letters, preview) and the stream (mirror, dead letters), verifies both
     * with every row sampled, and removes both tasks (and their capture state) at the end.
     */
    void run(String runId, KeysCheck afterKeysSnapshot) throws Exception {
        String values = "tmv_" + runId;
        String keyTask = "tmk_" + runId;
        createTables();
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.startTask(valuesDefinition(values));
                client.startTask(keysDefinition(keyTask));
                awaitNone("values after the snapshot", () -> valueDifferences(client, values));
                awaitNone("keys after the snapshot", () -> keyDifferences(client, keyTask));
                afterKeysSnapshot.check(keyTask);
                assertPoisonsDeadLettered(values, 1);
                assertPreviewRendersEveryType();

                streamChanges();
                awaitNone("values after the stream", () -> valueDifferences(client, values));
                awaitNone("keys after the stream", () -> keyDifferences(client, keyTask));
                assertPoisonsDeadLettered(values, 2);
                assertVerifiedValues(values, 2);
                assertVerifiedKeys(keyTask);
            } finally {
                client.deleteTask(values, true);
                client.deleteTask(keyTask, true);
                source.dropCaptureState(values);
                source.dropCaptureState(keyTask);
            }
        }
    }

    /** Waits until the differences are none; fails naming the last ones. */
    static void awaitNone(String what, DifferenceSource differences) {
        List<String>[] last = new List[1];
        try {
            await(what).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> (last[0] = differences.read()).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": " + (last[0] == null ? "never read" : String.join("\n  ", last[0])), e);
        }
    }

    @FunctionalInterface
    interface DifferenceSource {
        List<String> read() throws Exception;
    }
}
