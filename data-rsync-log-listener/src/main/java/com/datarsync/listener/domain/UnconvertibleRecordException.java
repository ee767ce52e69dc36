package com.datarsync.listener.domain;

/**
 * A source record the listener cannot turn into a change event (a value outside what the event
 * model can carry, such as PostgreSQL's {@code timestamptz 'infinity'}). The record goes to the
 * dead letters with this message; the capture goes on.
 */
public class UnconvertibleRecordException extends RuntimeException {

    private final String key;

    public UnconvertibleRecordException(String message, String key, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The row's key (table-qualified as on the change topic) when it could be read; else null. */
    public String key() {
        return key;
    }
}
