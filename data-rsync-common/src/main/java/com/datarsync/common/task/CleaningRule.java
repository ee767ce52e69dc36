package com.datarsync.common.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How one source column's value is cleaned before it is mapped and rendered into texts, in
 * this order: the NULL policy; then, for text, {@code trim} (both ends),
 * {@code collapseWhitespace} (every run of whitespace to one space) and {@code unicode}
 * ({@code NFC} or {@code NFKC}); then the checks, on the cleaned value (a NULL is not checked):
 * {@code minLength} / {@code maxLength} (in code points), {@code min} / {@code max} (numbers),
 * {@code pattern} (a Java regular expression the whole value must match) and {@code oneOf}
 * (the value as text is one of these). A row that fails a check goes to the dead letters
 * naming the column and the rule.
 *
 * @param defaultValue the value for NULL when {@code ifNull} is DEFAULT ({@code "default"} in JSON)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CleaningRule(
        NullPolicy ifNull,
        @com.fasterxml.jackson.annotation.JsonProperty("default") Object defaultValue,
        Boolean trim,
        Boolean collapseWhitespace,
        String unicode,
        Integer minLength,
        Integer maxLength,
        java.math.BigDecimal min,
        java.math.BigDecimal max,
        String pattern,
        List<String> oneOf) {
}
