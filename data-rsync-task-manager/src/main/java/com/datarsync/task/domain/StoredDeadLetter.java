package com.datarsync.task.domain;

import com.datarsync.common.event.DeadLetter;

/**
 * A dead letter as the task manager keeps it: the letter and its id, {@code <partition>-<offset>}
 * of the task's dead-letter topic, so storing the same letter twice changes nothing.
 */
public record StoredDeadLetter(String id, DeadLetter letter) {

    /** Whether a replay can put the record back where it was read (see {@link DeadLetter#source()}). */
    public boolean replayable() {
        return letter.source() != null && letter.payload() != null;
    }
}
