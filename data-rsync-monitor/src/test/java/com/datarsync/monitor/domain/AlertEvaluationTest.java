package com.datarsync.monitor.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.monitor.domain.AlertEvaluation.Breach;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rule over time: pending, firing once, repeating, silenced, resolved; many subjects in one message. */
class AlertEvaluationTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Duration FOR = Duration.ofSeconds(60);
    private static final Duration REPEAT = Duration.ofMinutes(10);

    private Map<String, AlertState> states = new HashMap<>();
    private final List<AlertSilence> silences = new ArrayList<>();

    private List<AlertMessage> at(long seconds, Breach... breaches) {
        AlertEvaluation.Outcome outcome = AlertEvaluation.evaluate(7, "task failed", AlertSeverity.CRITICAL, FOR,
                REPEAT, states, List.of(breaches), silences, T0.plusSeconds(seconds));
        states = outcome.states();
        return outcome.messages();
    }

    private static Breach failed(String task) {
        return new Breach(task, "FAILED", "DRS-4012 login refused");
    }

    @Test
    void aConditionFiresOnceAfterItsForDurationThenRepeatsAtItsIntervalAndResolvesOnce() {
        assertThat(at(0, failed("orders"))).as("pending").isEmpty();
        assertThat(at(30, failed("orders"))).as("still pending").isEmpty();
        List<AlertMessage> fired = at(60, failed("orders"));
        assertThat(fired).singleElement().satisfies(m -> {
            assertThat(m.resolved()).isFalse();
            assertThat(m.alerts()).extracting(AlertMessage.Alert::subject).containsExactly("orders");
            assertThat(m.alerts().get(0).detail()).contains("DRS-4012");
        });
        assertThat(at(90, failed("orders"))).as("sent already; repeat not due").isEmpty();
        assertThat(at(60 + 599, failed("orders"))).isEmpty();
        assertThat(at(60 + 600, failed("orders"))).as("repeat interval reached").hasSize(1);
        assertThat(at(60 + 615, failed("orders"))).isEmpty();

        List<AlertMessage> resolved = at(700);
        assertThat(resolved).singleElement().satisfies(m -> {
            assertThat(m.resolved()).isTrue();
            assertThat(m.alerts()).extracting(AlertMessage.Alert::subject).containsExactly("orders");
        });
        assertThat(at(715)).as("resolved is sent once").isEmpty();
        assertThat(states).isEmpty();
    }

    @Test
    void aConditionThatClearsWhilePendingSendsNothing() {
        assertThat(at(0, failed("orders"))).isEmpty();
        assertThat(at(30)).isEmpty();
        assertThat(at(90, failed("orders"))).as("pending again from the start").isEmpty();
        assertThat(at(150, failed("orders"))).hasSize(1);
    }

    @Test
    void manySubjectsDueAtOnceGoInOneMessage() {
        at(0, failed("a"), failed("b"));
        List<AlertMessage> fired = at(60, failed("a"), failed("b"), failed("c"));
        assertThat(fired).singleElement().satisfies(m -> assertThat(m.alerts())
                .extracting(AlertMessage.Alert::subject).containsExactly("a", "b"));
        assertThat(at(120, failed("a"), failed("b"), failed("c"))).singleElement().satisfies(m -> assertThat(m.alerts())
                .extracting(AlertMessage.Alert::subject).containsExactly("c"));
        List<AlertMessage> resolved = at(180, failed("c"));
        assertThat(resolved).singleElement().satisfies(m -> {
            assertThat(m.resolved()).isTrue();
            assertThat(m.alerts()).extracting(AlertMessage.Alert::subject).containsExactlyInAnyOrder("a", "b");
        });
    }

    @Test
    void aSilenceHoldsBackSendingAndWhatStillFiresWhenItEndsIsSent() {
        silences.add(new AlertSilence(7L, "orders", T0.plusSeconds(300), "maintenance"));
        at(0, failed("orders"), failed("docs"));
        List<AlertMessage> fired = at(60, failed("orders"), failed("docs"));
        assertThat(fired).singleElement().satisfies(m -> assertThat(m.alerts())
                .extracting(AlertMessage.Alert::subject).containsExactly("docs"));
        assertThat(at(200, failed("orders"), failed("docs"))).as("orders silenced, docs not due").isEmpty();
        assertThat(at(300, failed("orders"), failed("docs"))).singleElement().satisfies(m -> assertThat(m.alerts())
                .extracting(AlertMessage.Alert::subject).containsExactly("orders"));

        // A silence of every rule and subject: nothing is sent, resolved messages included.
        silences.add(new AlertSilence(null, null, T0.plusSeconds(2_000), "freeze"));
        assertThat(at(1_000)).isEmpty();
        assertThat(states).isEmpty();
    }

    @Test
    void aSilenceOfAnotherRuleOrSubjectOrOneThatEndedChangesNothing() {
        silences.add(new AlertSilence(8L, null, T0.plusSeconds(3_600), "another rule"));
        silences.add(new AlertSilence(null, "docs", T0.plusSeconds(3_600), "another task"));
        silences.add(new AlertSilence(7L, "orders", T0.plusSeconds(10), "over"));
        at(0, failed("orders"));
        assertThat(at(60, failed("orders"))).hasSize(1);
    }
}
