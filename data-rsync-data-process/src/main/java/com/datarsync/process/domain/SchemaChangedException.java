package com.datarsync.process.domain;

/**
 * A change whose row no longer has a column the task uses (a template names it, or a target
 * field was filled from it): the column was dropped or renamed in the source. The change goes to
 * the dead letters, never rendered with the column as empty text, and the task shows
 * {@link #warning()} until the operator adapts the task (then replays the letters).
 */
public class SchemaChangedException extends RecordRejectedException {

    private final String warning;

    public SchemaChangedException(String reason, String warning) {
        super(reason);
        this.warning = warning;
    }

    /** The same for every row of the table, so the task reports it once. */
    public String warning() {
        return warning;
    }
}
