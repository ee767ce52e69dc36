package com.datarsync.monitor.domain;

import java.time.Instant;

/**
 * Where one rule stands for one subject: breaching since {@code pendingSince}; firing once that
 * lasted the rule's {@code for} ({@code firingSince}); last told to the receivers at
 * {@code notifiedAt} (null: not yet, because it was silenced or is still pending).
 */
public record AlertState(String subject, Instant pendingSince, Instant firingSince, Instant notifiedAt,
        String value, String detail) {

    public boolean firing() {
        return firingSince != null;
    }
}
