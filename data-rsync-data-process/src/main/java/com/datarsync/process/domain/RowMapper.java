package com.datarsync.process.domain;

import com.datarsync.common.task.ColumnCondition;

import com.datarsync.common.task.RowFilter;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinition.ScalarField;
import com.datarsync.common.task.SyncTaskDefinition.Table;
import com.datarsync.common.task.TextTemplate;
import com.datarsync.common.task.RowCleaner;
import com.datarsync.common.task.TimeWindowRule;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a task's table mapping to a change: the operation and row filters, include/exclude
 * lists, renames and target types, and each vector field's text template. The result is what the target must
 * hold for that key afterwards.
 */
public final class RowMapper {

    private final Map<String, Table> tables = new HashMap<>();
    /** Per table with a time window, the window's parsed rule (keyed by identity: tables are few). */
    private final Map<Table, TimeWindowRule> windows = new java.util.IdentityHashMap<>();
    /** Per table with cleaning rules, its cleaner. */
    private final Map<Table, RowCleaner> cleaners = new java.util.IdentityHashMap<>();
    private final Map<String, ScalarField> fields = new LinkedHashMap<>();
    private final List<TextTemplate> templates;
    private final boolean qualifiedKeys;
    /** Per table, the columns its rows have had since this mapper started: one missing now was dropped. */
    private final Map<String, java.util.Set<String>> seenColumns = new HashMap<>();

    public RowMapper(SyncTaskDefinition task) {
        SourceKind kind = SourceKind.byId(task.source().kind()).orElseThrow();
        for (Table t : task.tables()) {
            tables.put(t.qualifiedName(kind, task.source().database()), t);
            if (t.filter() != null && t.filter().window() != null) {
                windows.put(t, TimeWindowRule.of(t.filter().window()));
            }
            if (t.clean() != null && !t.clean().isEmpty()) {
                cleaners.put(t, new RowCleaner(t.clean()));
            }
        }
        for (ScalarField f : task.target().scalarFields() == null ? List.<ScalarField>of() : task.target().scalarFields()) {
            fields.put(f.name(), f);
        }
        this.qualifiedKeys = task.tables().size() > 1;
        this.templates = task.target().vectors().stream().map(v -> TextTemplate.parse(v.embedding().template())).toList();
    }

    /** The target change, or empty when the filter drops this kind of operation. */
    public Optional<MappedChange> map(ChangeEvent event) {
        if (event.op().isSnapshotMarker()) {
            return Optional.of(new MappedChange.SnapshotMarker(event.op() == ChangeEvent.Op.b));
        }
        if (event.op().isHeartbeat()) {
            return Optional.of(new MappedChange.Heartbeat());
        }
        Table table = tables.get(event.source().qualifiedTable());
        if (table == null) {
            throw new RecordRejectedException("table " + event.source().qualifiedTable() + " is not in the task");
        }
        RowFilter filter = table.filter();
        if (event.op().isTruncate()) {
            // A truncate is a delete of every row: an operation filter that keeps deletes keeps it.
            if (!keepsOperation(filter, "t") && !keepsOperation(filter, "d")) {
                return Optional.empty();
            }
            String name = event.source().qualifiedTable();
            return Optional.of(new MappedChange.Truncate(name, qualifiedKeys ? name + "/" : ""));
        }
        if (event.key() == null || event.key().isEmpty()) {
            throw new RecordRejectedException("the change has no primary key");
        }
        if (!keepsOperation(filter, event.op().name())) {
            return Optional.empty();
        }
        TimeWindowRule window = windows.get(table);
        if (window != null && window.column() == null && !event.source().snapshot()
                && !window.containsCommitTime(event.source().tsMs())) {
            // A window of commit times: a change committed outside it is not carried at all.
            return Optional.empty();
        }
        if (event.op().removesRow()) {
            return Optional.of(new MappedChange.Delete(event.key()));
        }
        Map<String, Object> source = event.after();
        if (source == null) {
            throw new RecordRejectedException("a '" + event.op() + "' change without the row after it");
        }
        if ((filter != null && filter.where() != null && !matches(filter.where(), source))
                || (window != null && window.column() != null && !inWindow(window, source))) {
            // The row is not (or no longer) one the task keeps: make sure the target does not hold it.
            return Optional.of(new MappedChange.Delete(event.key()));
        }
        Optional<Map<String, Object>> cleaned = clean(table, source);
        if (cleaned.isEmpty()) {
            // A NULL policy drops the row: the target must not hold it.
            return Optional.of(new MappedChange.Delete(event.key()));
        }
        Map<String, Object> row = cleaned.get();
        checkColumns(event.source().qualifiedTable(), table, row);
        Map<String, Object> out = new LinkedHashMap<>();
        for (ScalarField f : fields.values()) {
            out.put(f.name(), null);
        }
        for (Map.Entry<String, Object> column : row.entrySet()) {
            if (!table.keeps(column.getKey())) {
                continue;
            }
            ScalarField field = fields.get(table.fieldFor(column.getKey()));
            if (field != null) {
                out.put(field.name(), FieldConverter.convert(column.getValue(), field));
            }
        }
        List<String> texts = templates.stream().map(t -> t.render(row, FieldConverter::asText)).toList();
        return Optional.of(new MappedChange.Upsert(event.key(), out, texts));
    }

    /**
     * Refuses a row that lacks a column the task uses: one a template names (always there while
     * the table has it, NULL or not), or one that filled a target field in an earlier row. Such a
     * column was dropped or renamed; rendering it as empty text or writing NULL would be silent
     * corruption. Columns a row has are remembered, so new (added) columns are simply carried.
     */
    private void checkColumns(String qualifiedTable, Table table, Map<String, Object> row) {
        java.util.Set<String> seen = seenColumns.computeIfAbsent(qualifiedTable, t -> new java.util.HashSet<>());
        for (int i = 0; i < templates.size(); i++) {
            for (String column : templates.get(i).columns()) {
                if (!row.containsKey(column)) {
                    throw schemaChanged(qualifiedTable, column, "target.vectors[" + i + "].embedding.template");
                }
            }
        }
        for (String column : seen) {
            if (!row.containsKey(column) && table.keeps(column) && fields.containsKey(table.fieldFor(column))) {
                throw schemaChanged(qualifiedTable, column, "target field '" + table.fieldFor(column) + "'");
            }
        }
        seen.addAll(row.keySet());
    }

    private static SchemaChangedException schemaChanged(String table, String column, String user) {
        String warning = "column '" + column + "' of " + table + ", used by " + user
                + ", is no longer in the source table (dropped or renamed): its changes go to the dead letters "
                + "until the task is changed to match";
        return new SchemaChangedException("the row has no column '" + column + "' (used by " + user
                + "): it was dropped or renamed in " + table, warning);
    }

    /** Whether the table's operation filter keeps this operation (no filter, or an empty list, keeps all). */
    private static boolean keepsOperation(RowFilter filter, String op) {
        return filter == null || filter.operations() == null || filter.operations().isEmpty()
                || filter.operations().contains(op);
    }

    /** The row after the table's cleaning rules (itself when it has none); empty when a rule drops it. */
    private Optional<Map<String, Object>> clean(Table table, Map<String, Object> source) {
        RowCleaner cleaner = cleaners.get(table);
        try {
            return cleaner == null ? Optional.of(source) : cleaner.clean(source);
        } catch (RowCleaner.RuleBrokenException e) {
            throw new RecordRejectedException(e.getMessage());
        }
    }

    private static boolean inWindow(TimeWindowRule window, Map<String, Object> row) {
        if (!row.containsKey(window.column())) {
            throw new RecordRejectedException("the row has no column '" + window.column()
                    + "' (tables[].filter.window.column)");
        }
        try {
            return window.contains(row.get(window.column()));
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException("column '" + window.column() + "' (tables[].filter.window): "
                    + e.getMessage());
        }
    }

    private static boolean matches(ColumnCondition where, Map<String, Object> row) {
        Object value = row.get(where.column());
        return value != null && where.in().contains(FieldConverter.asText(value));
    }
}
