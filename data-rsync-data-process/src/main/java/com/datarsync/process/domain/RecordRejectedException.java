package com.datarsync.process.domain;

/** A change that cannot be mapped to the target; it goes to the dead-letter topic with this reason. */
public class RecordRejectedException extends RuntimeException {

    public RecordRejectedException(String reason) {
        super(reason);
    }
}
