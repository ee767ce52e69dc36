package com.datarsync.common.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Which changes pass. A row that does not (or no longer) match {@code where} is removed from
 * the target, so the collection always mirrors the matching rows.
 *
 * @param operations the change kinds kept: {@code c} insert, {@code u} update, {@code d}
 *                   delete, {@code r} snapshot read; empty keeps all
 * @param where      optional condition on one column's value (after the change)
 * @param window      optional time window, on a column's value or on the change's commit time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RowFilter(List<String> operations, ColumnCondition where, TimeWindow window) {

    public RowFilter(List<String> operations, ColumnCondition where) {
        this(operations, where, null);
    }
}
