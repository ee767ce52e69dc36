package com.datarsync.common.task;

/** One reason a task definition is refused: the JSON path of the field and what is wrong with it. */
public record FieldViolation(String field, String reason) {

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
