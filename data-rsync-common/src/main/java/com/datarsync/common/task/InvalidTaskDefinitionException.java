package com.datarsync.common.task;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A task definition that cannot run; answered as DRS-4000 with every violation listed. */
public class InvalidTaskDefinitionException extends DataRsyncException {

    private final List<FieldViolation> violations;

    public InvalidTaskDefinitionException(List<FieldViolation> violations) {
        super(ErrorCode.VALIDATION_FAILED,
                "Invalid task definition: " + violations.stream().map(FieldViolation::toString)
                        .collect(Collectors.joining("; ")),
                Map.of("violations", violations), null);
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
