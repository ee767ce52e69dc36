package com.datarsync.deploy.suite;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The end-to-end test table in one source database: a row of every type the data path maps,
 * seeded and then changed at random (inserts, updates that do and do not touch the embedded
 * text, primary-key changes, deletes), and the entities Milvus must hold for it, computed here
 * from the source rows by the documented rules (docs/data-path.md), not by the product's code.
 */
abstract class E2eTable {

    static final String TABLE = "e2e_items";
    static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter LOCAL_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    /** The target fields and their Milvus types; the same for every source kind. */
    static final Map<String, String> FIELDS = fields();

    private static final String[] WORDS = {"vector", "milvus", "binlog", "change", "同步", "数据库", "向量", "🚀", "✅",
        "offset", "snapshot", "kafka", "流式", "emoji😀", "résumé", "naïve"};

    protected final LocalInfra infra = LocalInfra.get();
    private final Random random = new Random(20261124);
    private final List<long[]> liveKeys = new ArrayList<>();
    private long nextId = 1;
    private int changes;

    private static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("title", "VARCHAR");
        f.put("content", "VARCHAR");
        f.put("qty", "INT32");
        f.put("price", "VARCHAR");
        f.put("ratio", "DOUBLE");
        f.put("active", "BOOL");
        f.put("born", "VARCHAR");
        f.put("at_time", "VARCHAR");
        f.put("updated", "VARCHAR");
        f.put("stamp", "VARCHAR");
        f.put("attrs", "JSON");
        f.put("blob_col", "VARCHAR");
        return f;
    }

    abstract String kind();

    abstract int port();

    abstract String user();

    abstract String password();

    abstract Connection connect() throws SQLException;

    abstract List<String> createTableSql();

    /** Key columns in key order: MariaDB has one, PostgreSQL a composite (tenant, id). */
    abstract List<String> keyColumns();

    abstract void setStamp(PreparedStatement ps, int index, LocalDateTime utc) throws SQLException;

    abstract void setJson(PreparedStatement ps, int index, String json) throws SQLException;

    /** The stamp column (an instant) as the product writes it: UTC with a Z. */
    abstract String stampText(ResultSet rs) throws SQLException;

    /** The schema a table is in: the database for MySQL/MariaDB, {@code public} for PostgreSQL. */
    String schema() {
        return infra.value("DATARSYNC_DEMO_DB");
    }

    /** Removes what a task left in the source (PostgreSQL: its replication slot and publication). */
    void dropCaptureState(String taskId) throws SQLException {
    }

    String definition(String taskId, String collection) {
        return definition(taskId, collection, TABLE, FIELDS, "\"excludeColumns\": [\"secret\"], ");
    }

    /**
     * A definition for another, smaller table of the same source: only the named target fields,
     * no column excluded.
     */
    /**
     * A task on {@code table} with the title and content fields whose title field holds at most
     * {@code maxLength} bytes: a longer title is a record data-process dead-letters (DRS-4220).
     */
    String definitionWithShortTitle(String taskId, String table, int maxLength) {
        return definitionFor(taskId, table, List.of("title", "content")).replace(
                "{\"name\": \"title\", \"type\": \"VARCHAR\", \"maxLength\": 1024}",
                "{\"name\": \"title\", \"type\": \"VARCHAR\", \"maxLength\": " + maxLength + "}");
    }

    String definitionFor(String taskId, String table, List<String> keptFields) {
        Map<String, String> fields = new LinkedHashMap<>(FIELDS);
        fields.keySet().retainAll(keptFields);
        return definition(taskId, taskId, table, fields, "");
    }

    private String definition(String taskId, String collection, String table, Map<String, String> fields,
            String exclude) {
        StringBuilder scalar = new StringBuilder();
        fields.forEach((name, type) -> {
            scalar.append(scalar.isEmpty() ? "" : ", ").append("{\"name\": \"").append(name).append("\", \"type\": \"")
                    .append(type).append('"');
            if (type.equals("VARCHAR")) {
                scalar.append(", \"maxLength\": ").append(name.equals("content") ? 8192 : 1024);
            }
            scalar.append('}');
        });
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL",
                 "source": %s,
                 "tables": [{"table": "%s", %s"renames": {"body": "content"}}],
                 "target": {"collection": "%s", "primaryKeyField": "pk", "scalarFields": [%s],
                            "vectors": [{"name": "embedding", "dimension": 384, "metric": "COSINE", "indexType": "AUTOINDEX",
                                         "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2",
                                                       "template": "{title}\\n{body}"}}]}}
                """.formatted(taskId, sourceJson(), table, exclude, collection, scalar);
    }

    /**
     * A task over small tables with {@code title} and {@code body} columns (body renamed to the
     * field {@code content}), embedding {@code {title}\n{body}}, with any further scalar fields
     * given as JSON objects.
     */
    String titleBodyDefinition(String taskId, List<String> tables, String... moreFields) {
        StringBuilder tableList = new StringBuilder();
        for (String table : tables) {
            tableList.append(tableList.isEmpty() ? "" : ", ").append("{\"table\": \"").append(table)
                    .append("\", \"renames\": {\"body\": \"content\"}}");
        }
        StringBuilder fields = new StringBuilder("{\"name\": \"title\", \"type\": \"VARCHAR\", \"maxLength\": 1024}, "
                + "{\"name\": \"content\", \"type\": \"VARCHAR\", \"maxLength\": 1024}");
        for (String field : moreFields) {
            fields.append(", ").append(field);
        }
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s, "tables": [%s],
                 "target": {"collection": "%s", "primaryKeyField": "pk", "scalarFields": [%s],
                            "vectors": [{"name": "embedding", "dimension": 384, "metric": "COSINE",
                                         "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2",
                                                       "template": "{title}\\n{body}"}}]}}
                """.formatted(taskId, sourceJson(), tableList, taskId, fields);
    }

    /**
     * The task definition's {@code source} object for this database: the registered data source,
     * with the kind and database the task manager also copies from it.
     */
    String sourceJson() {
        return """
                {"dataSourceId": %d, "kind": "%s", "database": "%s"}"""
                .formatted(dataSourceId(), kind(), infra.value("DATARSYNC_DEMO_DB"));
    }

    /** This database as a registered data source (registered on first use). */
    long dataSourceId() {
        return dataSourceAt("e2e-" + kind(), port());
    }

    /** Another data source on this database's server, user and password, at the given port. */
    long dataSourceAt(String name, int port) {
        return RegisteredSources.idFor(name, kind(), port, infra.value("DATARSYNC_DEMO_DB"), user(), password());
    }

    /** A fresh table in this source, created by the given statements. */
    void create(String table, String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    void recreate() throws SQLException {
        create(TABLE, createTableSql().toArray(String[]::new));
    }

    void seed(int rows) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                insert(c);
            }
            c.commit();
        }
    }

    /** Applies {@code count} random single-row changes, each in its own transaction. */
    void change(int count) throws SQLException {
        try (Connection c = connect()) {
            for (int i = 0; i < count; i++) {
                int dice = random.nextInt(100);
                if (liveKeys.size() < 10 || dice < 25) {
                    insert(c);
                } else if (dice < 45) {
                    updateText(c);
                } else if (dice < 65) {
                    updateScalars(c);
                } else if (dice < 80) {
                    changeKey(c);
                } else {
                    delete(c);
                }
                changes++;
            }
        }
    }

    int changesApplied() {
        return changes;
    }

    private long[] newKey() {
        long id = nextId++;
        return keyColumns().size() == 1 ? new long[] {id} : new long[] {id % 7, id};
    }

    private String keyWhere() {
        return String.join(" AND ", keyColumns().stream().map(k -> k + " = ?").toList());
    }

    private int bindKey(PreparedStatement ps, int from, long[] key) throws SQLException {
        for (long part : key) {
            ps.setLong(from++, part);
        }
        return from;
    }

    private long[] anyLiveKey() {
        return liveKeys.get(random.nextInt(liveKeys.size()));
    }

    private void insert(Connection c) throws SQLException {
        long[] key = newKey();
        String columns = String.join(", ", keyColumns()) + ", title, body, qty, price, ratio, active, born, at_time, "
                + "updated, stamp, attrs, blob_col, secret";
        String marks = "?, ".repeat(keyColumns().size()) + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (" + columns + ") VALUES (" + marks + ")")) {
            int i = bindKey(ps, 1, key);
            boolean sparse = random.nextInt(10) == 0;
            ps.setString(i++, text(3 + random.nextInt(6)));
            ps.setString(i++, sparse ? null : text(10 + random.nextInt(30)));
            ps.setObject(i++, sparse ? null : random.nextInt(2_000_000) - 1_000_000);
            ps.setBigDecimal(i++, sparse ? null : BigDecimal.valueOf(random.nextLong(100_000_000L), 2));
            ps.setObject(i++, sparse ? null : random.nextGaussian() * 1e6);
            ps.setObject(i++, sparse ? null : random.nextBoolean());
            ps.setObject(i++, sparse ? null : LocalDate.of(1970, 1, 1).plusDays(random.nextInt(30_000)));
            ps.setObject(i++, sparse ? null : LocalTime.ofNanoOfDay(random.nextLong(86_400_000_000L) * 1000));
            ps.setObject(i++, sparse ? null : LocalDateTime.of(2000, 1, 1, 0, 0).plusNanos(random.nextLong(800_000_000_000_000L) * 1000));
            setStamp(ps, i++, sparse ? null : LocalDateTime.of(2001, 1, 1, 0, 0).plusNanos(random.nextLong(700_000_000_000_000L) * 1000));
            setJson(ps, i++, sparse ? null : "{\"n\": " + random.nextInt(1000) + ", \"tags\": [\"" + WORDS[random.nextInt(WORDS.length)]
                    + "\"], \"nested\": {\"ok\": " + random.nextBoolean() + "}}");
            byte[] blob = new byte[random.nextInt(16)];
            random.nextBytes(blob);
            ps.setBytes(i++, sparse ? null : blob);
            ps.setString(i, "not for milvus");
            ps.executeUpdate();
        }
        liveKeys.add(key);
    }

    private void updateText(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET title = ?, body = ? WHERE " + keyWhere())) {
            ps.setString(1, text(3 + random.nextInt(6)));
            ps.setString(2, text(10 + random.nextInt(30)));
            bindKey(ps, 3, anyLiveKey());
            ps.executeUpdate();
        }
    }

    /** An update that leaves the embedded columns alone. */
    private void updateScalars(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET qty = ?, active = ?, ratio = ? WHERE "
                + keyWhere())) {
            ps.setInt(1, random.nextInt(1000));
            ps.setObject(2, random.nextBoolean() ? null : random.nextBoolean());
            ps.setDouble(3, random.nextDouble());
            bindKey(ps, 4, anyLiveKey());
            ps.executeUpdate();
        }
    }

    private void changeKey(Connection c) throws SQLException {
        long[] old = anyLiveKey();
        long[] fresh = newKey();
        String set = String.join(", ", keyColumns().stream().map(k -> k + " = ?").toList());
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET " + set + " WHERE " + keyWhere())) {
            bindKey(ps, bindKey(ps, 1, fresh), old);
            ps.executeUpdate();
        }
        liveKeys.remove(old);
        liveKeys.add(fresh);
    }

    private void delete(Connection c) throws SQLException {
        long[] key = anyLiveKey();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE " + keyWhere())) {
            bindKey(ps, 1, key);
            ps.executeUpdate();
        }
        liveKeys.remove(key);
    }

    private String text(int words) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            out.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return out.toString();
    }

    /** The entities Milvus must hold, by primary key, computed from the source rows. */
    Map<String, Map<String, Object>> expectedEntities() throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + TABLE)) {
            while (rs.next()) {
                List<String> key = new ArrayList<>();
                for (String k : keyColumns()) {
                    key.add(Long.toString(rs.getLong(k)));
                }
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("title", rs.getString("title"));
                e.put("content", rs.getString("body"));
                e.put("qty", rs.getObject("qty") == null ? null : rs.getLong("qty"));
                BigDecimal price = rs.getBigDecimal("price");
                e.put("price", price == null ? null : price.toPlainString());
                e.put("ratio", rs.getObject("ratio") == null ? null : rs.getDouble("ratio"));
                e.put("active", rs.getObject("active") == null ? null : rs.getBoolean("active"));
                LocalDate born = rs.getObject("born", LocalDate.class);
                e.put("born", born == null ? null : born.toString());
                LocalTime atTime = rs.getObject("at_time", LocalTime.class);
                e.put("at_time", atTime == null ? null : LOCAL_TIME.format(atTime));
                LocalDateTime updated = rs.getObject("updated", LocalDateTime.class);
                e.put("updated", updated == null ? null : LOCAL_DATE_TIME.format(updated));
                e.put("stamp", stampText(rs));
                String attrs = rs.getString("attrs");
                e.put("attrs", attrs == null ? null : json(attrs));
                byte[] blob = rs.getBytes("blob_col");
                e.put("blob_col", blob == null ? null : Base64.getEncoder().encodeToString(blob));
                out.put(String.join("|", key), e);
            }
        }
        return out;
    }

    /** The text the task's template ({@code {title}\n{body}}) renders for an expected entity; NULL renders empty. */
    static String embeddedText(Map<String, Object> expected) {
        Object title = expected.get("title");
        Object body = expected.get("content");
        return (title == null ? "" : title) + "\n" + (body == null ? "" : body);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static String instantText(LocalDateTime utc) {
        return utc == null ? null : LOCAL_DATE_TIME.format(utc) + "Z";
    }
}
