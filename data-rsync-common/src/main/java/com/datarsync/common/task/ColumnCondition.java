package com.datarsync.common.task;

import java.util.List;

/** The row passes when its column's value, as text, is one of {@code in}. */
public record ColumnCondition(String column, List<String> in) {
}
