package com.datarsync.process.domain;

import com.datarsync.common.task.ColumnCondition;

import com.datarsync.common.task.TimeWindow;

import com.datarsync.common.task.RowFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinition.FieldType;
import com.datarsync.common.task.SyncTaskDefinition.ScalarField;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMapperTest {

    private static SyncTaskDefinition task(RowFilter filter) {
        return new SyncTaskDefinition("t", SyncTaskDefinition.Mode.FULL_AND_INCREMENTAL,
                new SyncTaskDefinition.Source(1L, "mariadb", "shop", null),
                List.of(new SyncTaskDefinition.Table(null, "items", null, List.of("secret"), Map.of("body", "content"),
                        filter)),
                new SyncTaskDefinition.Target("items", "pk", null, null, List.of(
                        new ScalarField("title", FieldType.VARCHAR, 16),
                        new ScalarField("content", FieldType.VARCHAR, null),
                        new ScalarField("active", FieldType.BOOL, null),
                        new ScalarField("qty", FieldType.INT16, null),
                        new ScalarField("price", FieldType.DOUBLE, null),
                        new ScalarField("attrs", FieldType.JSON, null),
                        new ScalarField("secret", FieldType.VARCHAR, null)),
                        List.of(new SyncTaskDefinition.VectorField("embedding", 384, SyncTaskDefinition.Metric.COSINE, null,
                                null, new SyncTaskDefinition.Embedding("onnx-local", "all-minilm-l6-v2", "{title}: {body}",
                                        null, null)),
                                new SyncTaskDefinition.VectorField("title_vector", 384, SyncTaskDefinition.Metric.COSINE,
                                        null, null, new SyncTaskDefinition.Embedding("onnx-local", "all-minilm-l6-v2",
                                                "{title}", null, null)))));
    }

    private static ChangeEvent event(ChangeEvent.Op op, Map<String, Object> after) {
        return new ChangeEvent(1, "t", new ChangeEvent.Source("mariadb", "shop", "shop", "items", Map.of(), 1L, false),
                op, "42", null, after);
    }

    private static Map<String, Object> row() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 42);
        row.put("title", "标题 🚀");
        row.put("body", "text");
        row.put("active", 1);
        row.put("qty", 300);
        row.put("price", new BigDecimal("12.50"));
        row.put("attrs", "{\"a\": [1, 2]}");
        row.put("secret", "hidden");
        row.put("status", "live");
        return row;
    }

    @Test
    void mapsRenamesTypesAndEachVectorFieldsTemplate() {
        MappedChange.Upsert upsert = (MappedChange.Upsert) new RowMapper(task(null)).map(event(ChangeEvent.Op.u, row()))
                .orElseThrow();

        assertThat(upsert.key()).isEqualTo("42");
        assertThat(upsert.texts()).containsExactly("标题 🚀: text", "标题 🚀");
        assertThat(upsert.fields())
                .containsEntry("title", "标题 🚀")
                .containsEntry("content", "text")
                .containsEntry("active", true)
                .containsEntry("qty", 300)
                .containsEntry("price", 12.5)
                .containsEntry("secret", null)   // excluded: never copied, written as NULL
                .doesNotContainKey("status");    // not a target field
        assertThat(((JsonNode) upsert.fields().get("attrs")).get("a").size()).isEqualTo(2);
    }

    @Test
    void deletesAndRowsLeavingTheFilterRemoveTheKey() {
        RowFilter filter = new RowFilter(List.of("c", "u", "d"),
                new ColumnCondition("status", List.of("live")));
        RowMapper mapper = new RowMapper(task(filter));
        Map<String, Object> archived = row();
        archived.put("status", "archived");

        assertThat(mapper.map(event(ChangeEvent.Op.d, null))).containsInstanceOf(MappedChange.Delete.class);
        assertThat(mapper.map(event(ChangeEvent.Op.u, archived))).containsInstanceOf(MappedChange.Delete.class);
        assertThat(mapper.map(event(ChangeEvent.Op.u, row()))).containsInstanceOf(MappedChange.Upsert.class);
        assertThat(mapper.map(event(ChangeEvent.Op.r, row()))).as("snapshot reads are filtered out").isEmpty();
    }

    @Test
    void aHeartbeatOfNoTableIsPassedOnWhateverTheFiltersSay() {
        ChangeEvent heartbeat = new ChangeEvent(1, "t", new ChangeEvent.Source("mariadb", "shop", null, null, null,
                1_700_000_000_000L, false), ChangeEvent.Op.h, null, null, null);

        assertThat(new RowMapper(task(null)).map(heartbeat)).contains(new MappedChange.Heartbeat());
        assertThat(new RowMapper(task(new RowFilter(List.of("c"), null))).map(heartbeat))
                .contains(new MappedChange.Heartbeat());
    }

    @Test
    void aTruncateRemovesTheTablesRowsUnlessTheOperationFilterDropsDeletes() {
        ChangeEvent truncate = new ChangeEvent(1, "t", new ChangeEvent.Source("mariadb", "shop", "shop", "items",
                Map.of(), 1L, false), ChangeEvent.Op.t, null, null, null);

        assertThat(new RowMapper(task(null)).map(truncate)).contains(new MappedChange.Truncate("shop.items", ""));
        assertThat(new RowMapper(task(new RowFilter(List.of("c", "u", "d"), null))).map(truncate))
                .as("a filter that keeps deletes keeps truncates").isPresent();
        assertThat(new RowMapper(task(new RowFilter(List.of("t"), null))).map(truncate)).isPresent();
        assertThat(new RowMapper(task(new RowFilter(List.of("c", "u"), null))).map(truncate))
                .as("a filter without deletes drops truncates").isEmpty();
    }

    @Test
    void aRowWithoutAColumnTheTaskUsesIsRefusedNeverRenderedEmpty() {
        RowMapper mapper = new RowMapper(task(null));
        Map<String, Object> withoutBody = row();
        withoutBody.remove("body");
        assertThatThrownBy(() -> mapper.map(event(ChangeEvent.Op.u, withoutBody)))
                .isInstanceOfSatisfying(SchemaChangedException.class, e -> {
                    assertThat(e.getMessage()).contains("no column 'body'").contains("target.vectors[0].embedding.template");
                    assertThat(e.warning()).contains("column 'body' of shop.items").contains("dropped or renamed");
                });

        // qty filled a field in an earlier row: a row without it lost the column.
        assertThat(mapper.map(event(ChangeEvent.Op.u, row()))).isPresent();
        Map<String, Object> withoutQty = row();
        withoutQty.remove("qty");
        assertThatThrownBy(() -> mapper.map(event(ChangeEvent.Op.u, withoutQty)))
                .isInstanceOf(SchemaChangedException.class).hasMessageContaining("target field 'qty'");

        // An added column is simply carried (here into no field); a NULL is no missing column.
        Map<String, Object> added = row();
        added.put("added_later", "x");
        added.put("qty", null);
        assertThat(mapper.map(event(ChangeEvent.Op.u, added))).isPresent();
    }

    @Test
    void valuesThatDoNotFitAreRejectedWithTheReason() {
        Map<String, Object> tooBig = row();
        tooBig.put("qty", 70_000);
        Map<String, Object> tooLong = row();
        tooLong.put("title", "a title that is far too long");

        RowMapper mapper = new RowMapper(task(null));
        assertThatThrownBy(() -> mapper.map(event(ChangeEvent.Op.c, tooBig)))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("field 'qty': '70000' is not a valid INT16");
        assertThatThrownBy(() -> mapper.map(event(ChangeEvent.Op.c, tooLong)))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("exceeds the field's maxLength 16");
    }

    private static RowFilter window(String column, String from, String until) {
        return new RowFilter(null, null, new TimeWindow(column, from, until));
    }

    private static Map<String, Object> rowAt(Object publishedAt) {
        Map<String, Object> row = row();
        row.put("published_at", publishedAt);
        return row;
    }

    private static ChangeEvent committedAt(ChangeEvent.Op op, long tsMs, boolean snapshot) {
        return new ChangeEvent(1, "t", new ChangeEvent.Source("mariadb", "shop", "shop", "items", Map.of(), tsMs,
                snapshot), op, "42", null, op.removesRow() ? null : row());
    }

    @Test
    void aColumnWindowKeepsRowsFromItsStartUpToItsEndAndRemovesTheOthers() {
        RowMapper mapper = new RowMapper(task(window("published_at", "2026-01-01", "2026-07-01T00:00:00")));

        assertThat(mapper.map(event(ChangeEvent.Op.c, rowAt("2026-01-01T00:00:00.000000"))).orElseThrow())
                .as("the start is inside").isInstanceOf(MappedChange.Upsert.class);
        assertThat(mapper.map(event(ChangeEvent.Op.u, rowAt("2026-06-30T23:59:59.999999"))).orElseThrow())
                .isInstanceOf(MappedChange.Upsert.class);
        assertThat(mapper.map(event(ChangeEvent.Op.u, rowAt("2026-07-01T00:00:00.000000"))).orElseThrow())
                .as("the end is outside").isEqualTo(new MappedChange.Delete("42"));
        assertThat(mapper.map(event(ChangeEvent.Op.r, rowAt("2025-12-31"))).orElseThrow())
                .isEqualTo(new MappedChange.Delete("42"));
        assertThat(mapper.map(event(ChangeEvent.Op.u, rowAt(null))).orElseThrow())
                .as("NULL is outside").isEqualTo(new MappedChange.Delete("42"));
        assertThat(mapper.map(event(ChangeEvent.Op.d, null)).orElseThrow()).isEqualTo(new MappedChange.Delete("42"));
        assertThatThrownBy(() -> mapper.map(event(ChangeEvent.Op.u, rowAt("next tuesday"))))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("published_at")
                .hasMessageContaining("next tuesday");
    }

    @Test
    void anInstantBoundComparesAZonelessValueAsUtcAndAnInstantValueAsItIs() {
        RowMapper mapper = new RowMapper(task(window("published_at", "2026-01-01T08:00:00+08:00", null)));

        // 2026-01-01T08:00+08:00 is 2026-01-01T00:00Z.
        assertThat(mapper.map(event(ChangeEvent.Op.c, rowAt("2026-01-01T00:00:00.000000Z"))).orElseThrow())
                .isInstanceOf(MappedChange.Upsert.class);
        assertThat(mapper.map(event(ChangeEvent.Op.c, rowAt("2025-12-31T23:59:59.000000Z"))).orElseThrow())
                .isEqualTo(new MappedChange.Delete("42"));
        assertThat(mapper.map(event(ChangeEvent.Op.c, rowAt("2025-12-31T23:59:59.000000"))).orElseThrow())
                .isEqualTo(new MappedChange.Delete("42"));
        assertThat(mapper.map(event(ChangeEvent.Op.c, rowAt("2026-01-01T00:00:00.000000"))).orElseThrow())
                .isInstanceOf(MappedChange.Upsert.class);
    }

    @Test
    void aCommitTimeWindowCarriesOnlyChangesCommittedInsideItAndEverySnapshotRead() {
        long start = java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        RowMapper mapper = new RowMapper(task(window(null, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")));

        assertThat(mapper.map(committedAt(ChangeEvent.Op.u, start, false))).get().isInstanceOf(MappedChange.Upsert.class);
        assertThat(mapper.map(committedAt(ChangeEvent.Op.d, start + 1, false))).contains(new MappedChange.Delete("42"));
        assertThat(mapper.map(committedAt(ChangeEvent.Op.u, start - 1, false))).isEmpty();
        assertThat(mapper.map(committedAt(ChangeEvent.Op.d, start + 31L * 86_400_000, false))).as("after the end").isEmpty();
        assertThat(mapper.map(committedAt(ChangeEvent.Op.r, start - 86_400_000, true)))
                .as("a snapshot read has no commit time: it passes").get().isInstanceOf(MappedChange.Upsert.class);
    }
}
