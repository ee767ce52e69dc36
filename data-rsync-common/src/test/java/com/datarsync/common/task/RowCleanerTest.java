package com.datarsync.common.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.task.CleaningRule;
import com.datarsync.common.task.NullPolicy;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowCleanerTest {

    private static CleaningRule rule(NullPolicy ifNull, Object defaultValue) {
        return new CleaningRule(ifNull, defaultValue, null, null, null, null, null, null, null, null, null);
    }

    private static Map<String, Object> row(String column, Object value) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1);
        row.put(column, value);
        return row;
    }

    @Test
    void eachNullPolicyKeepsReplacesOrDropsTheRow() {
        assertThat(new RowCleaner(Map.of("c", rule(NullPolicy.KEEP, null))).clean(row("c", null)))
                .get().satisfies(r -> assertThat(r).containsEntry("c", null));
        assertThat(new RowCleaner(Map.of("c", rule(NullPolicy.DEFAULT, "none"))).clean(row("c", null)))
                .get().satisfies(r -> assertThat(r).containsEntry("c", "none"));
        assertThat(new RowCleaner(Map.of("c", rule(NullPolicy.DROP_ROW, null))).clean(row("c", null))).isEmpty();
        assertThat(new RowCleaner(Map.of("c", rule(NullPolicy.DROP_ROW, null))).clean(row("c", "x")))
                .get().satisfies(r -> assertThat(r).containsEntry("c", "x"));
    }

    @Test
    void textIsNormalisedToNfcWithItsWhitespaceCollapsedAndTrimmed() {
        CleaningRule text = new CleaningRule(null, null, true, true, "NFC", null, null, null, null, null, null);
        // "e" + combining acute (two code points) becomes the one code point "é".
        Map<String, Object> cleaned = new RowCleaner(Map.of("c", text)).clean(row("c", "  Cafe\u0301 \t\n latte  "))
                .orElseThrow();
        assertThat(cleaned.get("c")).isEqualTo("Caf\u00e9 latte");
    }

    @Test
    void everyCheckNamesItsRuleWhenBrokenAndLetsAGoodValuePass() {
        CleaningRule checks = new CleaningRule(null, null, true, null, null, 2, 5, null, null, "[A-Z]+", List.of("AB", "ABC"));
        RowCleaner cleaner = new RowCleaner(Map.of("c", checks));
        assertThat(cleaner.clean(row("c", " ABC "))).get().satisfies(r -> assertThat(r).containsEntry("c", "ABC"));
        assertThatThrownBy(() -> cleaner.clean(row("c", "A"))).isInstanceOfSatisfying(
                RowCleaner.RuleBrokenException.class, e -> assertThat(e.rule()).isEqualTo("minLength"));
        assertThatThrownBy(() -> cleaner.clean(row("c", "ABCDEF"))).isInstanceOfSatisfying(
                RowCleaner.RuleBrokenException.class, e -> assertThat(e.rule()).isEqualTo("maxLength"));
        assertThatThrownBy(() -> cleaner.clean(row("c", "abc"))).isInstanceOfSatisfying(
                RowCleaner.RuleBrokenException.class, e -> assertThat(e.rule()).isEqualTo("pattern"))
                .hasMessageContaining("column 'c'");
        assertThatThrownBy(() -> cleaner.clean(row("c", "ABCD"))).isInstanceOfSatisfying(
                RowCleaner.RuleBrokenException.class, e -> assertThat(e.rule()).isEqualTo("oneOf"));

        RowCleaner range = new RowCleaner(Map.of("n", new CleaningRule(null, null, null, null, null, null, null,
                BigDecimal.ZERO, new BigDecimal("100"), null, null)));
        assertThat(range.clean(row("n", 100))).isPresent();
        assertThat(range.clean(row("n", null))).as("NULL is not checked").isPresent();
        assertThatThrownBy(() -> range.clean(row("n", 100.5))).isInstanceOfSatisfying(
                RowCleaner.RuleBrokenException.class, e -> assertThat(e.rule()).isEqualTo("max"));
        assertThatThrownBy(() -> range.clean(row("n", -1))).isInstanceOfSatisfying(
                RowCleaner.RuleBrokenException.class, e -> assertThat(e.rule()).isEqualTo("min"));
    }

    @Test
    void aRuleThatCannotWorkIsDescribed() {
        assertThat(RowCleaner.problems(rule(NullPolicy.DEFAULT, null))).containsExactly("ifNull DEFAULT needs a 'default' value");
        assertThat(RowCleaner.problems(new CleaningRule(null, null, null, null, "NFD", 5, 2, null, null, "(", List.of())))
                .hasSize(4);
    }
}
