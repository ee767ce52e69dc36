package com.datarsync.common.task;

import com.datarsync.common.task.CleaningRule;
import com.datarsync.common.task.NullPolicy;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A table's cleaning rules ({@code tables[].clean}, one {@link CleaningRule} per source column)
 * applied to a row: NULL policy, text normalisation, then the checks (order and meaning on
 * {@link CleaningRule}).
 */
public final class RowCleaner {

    /** A value broke one of its column's checks; {@code rule} is the check's name in the definition. */
    public static final class RuleBrokenException extends RuntimeException {

        private final String column;
        private final String rule;

        RuleBrokenException(String column, String rule, String message) {
            super("column '" + column + "' breaks its cleaning rule '" + rule + "': " + message);
            this.column = column;
            this.rule = rule;
        }

        public String column() {
            return column;
        }

        public String rule() {
            return rule;
        }
    }

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final Map<String, CleaningRule> rules;
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();

    public RowCleaner(Map<String, CleaningRule> rules) {
        this.rules = rules == null ? Map.of() : rules;
        this.rules.forEach((column, rule) -> {
            List<String> problems = problems(rule);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("clean." + column + ": " + String.join("; ", problems));
            }
            if (rule.pattern() != null) {
                patterns.put(column, Pattern.compile(rule.pattern()));
            }
        });
    }

    /** What is wrong with a rule on its own; empty when nothing is. */
    public static List<String> problems(CleaningRule rule) {
        List<String> out = new ArrayList<>();
        if (rule == null) {
            out.add("is empty");
            return out;
        }
        NullPolicy ifNull = rule.ifNull() == null ? NullPolicy.KEEP : rule.ifNull();
        if (ifNull == NullPolicy.DEFAULT && rule.defaultValue() == null) {
            out.add("ifNull DEFAULT needs a 'default' value");
        }
        if (ifNull != NullPolicy.DEFAULT && rule.defaultValue() != null) {
            out.add("'default' is used only with ifNull DEFAULT");
        }
        if (rule.unicode() != null && !List.of("NFC", "NFKC").contains(rule.unicode())) {
            out.add("unicode must be NFC or NFKC, not '" + rule.unicode() + "'");
        }
        if ((rule.minLength() != null && rule.minLength() < 0) || (rule.maxLength() != null && rule.maxLength() < 0)) {
            out.add("minLength and maxLength cannot be negative");
        }
        if (rule.minLength() != null && rule.maxLength() != null && rule.minLength() > rule.maxLength()) {
            out.add("minLength is above maxLength");
        }
        if (rule.min() != null && rule.max() != null && rule.min().compareTo(rule.max()) > 0) {
            out.add("min is above max");
        }
        if (rule.pattern() != null) {
            try {
                Pattern.compile(rule.pattern());
            } catch (PatternSyntaxException e) {
                out.add("pattern is not a regular expression: " + e.getDescription());
            }
        }
        if (rule.oneOf() != null && rule.oneOf().isEmpty()) {
            out.add("oneOf, when given, lists at least one value");
        }
        return out;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * The row with its ruled columns cleaned (a copy; other columns as they were), or empty when
     * a NULL policy drops it.
     *
     * @throws RuleBrokenException when a value fails a check
     */
    public Optional<Map<String, Object>> clean(Map<String, Object> row) {
        if (rules.isEmpty()) {
            return Optional.of(row);
        }
        Map<String, Object> out = new LinkedHashMap<>(row);
        for (Map.Entry<String, CleaningRule> entry : rules.entrySet()) {
            String column = entry.getKey();
            if (!out.containsKey(column)) {
                continue;
            }
            CleaningRule rule = entry.getValue();
            Object value = out.get(column);
            if (value == null) {
                NullPolicy ifNull = rule.ifNull() == null ? NullPolicy.KEEP : rule.ifNull();
                switch (ifNull) {
                    case DROP_ROW -> {
                        return Optional.empty();
                    }
                    case DEFAULT -> value = rule.defaultValue();
                    default -> {
                        continue;
                    }
                }
            }
            if (value instanceof String text) {
                value = normalise(text, rule);
            }
            check(column, rule, value);
            out.put(column, value);
        }
        return Optional.of(out);
    }

    private static String normalise(String text, CleaningRule rule) {
        String out = text;
        if (rule.unicode() != null) {
            out = Normalizer.normalize(out, Normalizer.Form.valueOf(rule.unicode()));
        }
        if (Boolean.TRUE.equals(rule.collapseWhitespace())) {
            out = WHITESPACE.matcher(out).replaceAll(" ");
        }
        if (Boolean.TRUE.equals(rule.trim())) {
            out = out.strip();
        }
        return out;
    }

    private void check(String column, CleaningRule rule, Object value) {
        String text = value instanceof String s ? s : String.valueOf(value);
        int length = text.codePointCount(0, text.length());
        if (rule.minLength() != null && length < rule.minLength()) {
            throw new RuleBrokenException(column, "minLength", length + " characters, fewer than " + rule.minLength());
        }
        if (rule.maxLength() != null && length > rule.maxLength()) {
            throw new RuleBrokenException(column, "maxLength", length + " characters, more than " + rule.maxLength());
        }
        if (rule.min() != null || rule.max() != null) {
            BigDecimal number;
            try {
                number = value instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw new RuleBrokenException(column, rule.min() != null ? "min" : "max", "'" + shorten(text)
                        + "' is not a number");
            }
            if (rule.min() != null && number.compareTo(rule.min()) < 0) {
                throw new RuleBrokenException(column, "min", number.toPlainString() + " is below "
                        + rule.min().toPlainString());
            }
            if (rule.max() != null && number.compareTo(rule.max()) > 0) {
                throw new RuleBrokenException(column, "max", number.toPlainString() + " is above "
                        + rule.max().toPlainString());
            }
        }
        Pattern pattern = patterns.get(column);
        if (pattern != null && !pattern.matcher(text).matches()) {
            throw new RuleBrokenException(column, "pattern", "'" + shorten(text) + "' does not match " + rule.pattern());
        }
        if (rule.oneOf() != null && !rule.oneOf().contains(text)) {
            throw new RuleBrokenException(column, "oneOf", "'" + shorten(text) + "' is not one of " + rule.oneOf());
        }
    }

    /** A value quoted in a reason is cut, so a dead letter's reason stays short. */
    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
