package com.datarsync.monitor.service;

import static com.datarsync.monitor.service.AlertChannels.invalid;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.monitor.domain.NotificationRecord;
import com.datarsync.monitor.domain.SilenceRecord;
import com.datarsync.monitor.infra.AlertRuleRepository;
import com.datarsync.monitor.infra.NotificationRepository;
import com.datarsync.monitor.infra.SilenceRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;

/** Silences with an end time, and the history of what was sent. */
@Service
public class AlertSilences {

    static final Duration MAX_SILENCE = Duration.ofDays(30);

    public record Fields(Long ruleId, String subject, Instant endsAt, String reason) {
    }

    private final SilenceRepository silences;
    private final AlertRuleRepository rules;
    private final NotificationRepository history;
    private final Clock clock;

    public AlertSilences(SilenceRepository silences, AlertRuleRepository rules, NotificationRepository history,
            Clock clock) {
        this.silences = silences;
        this.rules = rules;
        this.history = history;
        this.clock = clock;
    }

    /** The silences that have not ended. */
    public List<SilenceRecord> active() {
        return silences.findByEndsAtAfterOrderByEndsAt(clock.instant());
    }

    public SilenceRecord create(Fields f, String by) {
        Instant now = clock.instant();
        if (f.endsAt() == null || !f.endsAt().isAfter(now) || f.endsAt().isAfter(now.plus(MAX_SILENCE))) {
            throw invalid("endsAt", "endsAt is a time in the next 30 days");
        }
        if (f.ruleId() != null && rules.findById(f.ruleId()).isEmpty()) {
            throw invalid("ruleId", "no alert rule " + f.ruleId());
        }
        if (f.subject() != null && (f.subject().isBlank() || f.subject().length() > 200)) {
            throw invalid("subject", "subject is 1 to 200 characters (a task id, a source's name, a host)");
        }
        if (f.reason() == null || f.reason().isBlank() || f.reason().length() > 500) {
            throw invalid("reason", "a silence says why, in 1 to 500 characters");
        }
        return silences.save(new SilenceRecord(f.ruleId(), f.subject(), f.endsAt(), f.reason(), by));
    }

    /** Ends a silence now. */
    public void delete(long id) {
        SilenceRecord silence = silences.findById(id).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND,
                "No silence " + id, Map.of("id", id), null));
        silences.delete(silence);
    }

    public List<NotificationRecord> history(Long ruleId, Instant from, Instant to, int page, int size) {
        Instant end = to == null ? clock.instant().plusSeconds(1) : to;
        Instant start = from == null ? end.minus(Duration.ofDays(7)) : from;
        if (!start.isBefore(end)) {
            throw invalid("from", "from is before to");
        }
        com.datarsync.common.web.Paging.Page paging = com.datarsync.common.web.Paging.of(page, size, 500);
        return history.history(ruleId, start, end, PageRequest.of(paging.page(), paging.size()));
    }
}
