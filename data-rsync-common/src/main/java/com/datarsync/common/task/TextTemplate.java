package com.datarsync.common.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text-to-embed template, for example {@code "{title}\n{body}"}: each {@code {column}} is
 * replaced by that source column's value as text; a NULL column renders as an empty string.
 * {@code {{} and {@code }}} write literal braces.
 */
public final class TextTemplate {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_$]*)}");

    private final String source;
    private final List<Object> parts;
    private final Set<String> columns;

    private TextTemplate(String source, List<Object> parts, Set<String> columns) {
        this.source = source;
        this.parts = parts;
        this.columns = columns;
    }

    /** Parses a template; throws IllegalArgumentException naming the offending position. */
    public static TextTemplate parse(String template) {
        List<Object> parts = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(template);
        int last = 0;
        StringBuilder literal = new StringBuilder();
        while (m.find()) {
            literal.append(checkedLiteral(template, last, m.start()));
            if (m.group(1) == null) {
                literal.append(m.group().charAt(0));
            } else {
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(new Placeholder(m.group(1)));
                columns.add(m.group(1));
            }
            last = m.end();
        }
        literal.append(checkedLiteral(template, last, template.length()));
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("names no column; write at least one {column}");
        }
        return new TextTemplate(template, List.copyOf(parts), Collections.unmodifiableSet(columns));
    }

    private static String checkedLiteral(String template, int from, int to) {
        String text = template.substring(from, to);
        int brace = Math.max(text.indexOf('{'), text.indexOf('}'));
        if (brace >= 0) {
            throw new IllegalArgumentException("unmatched or malformed brace at offset " + (from + brace)
                    + "; placeholders are {column} and literal braces are {{ and }}");
        }
        return text;
    }

    /** The source columns the template reads. */
    public Set<String> columns() {
        return columns;
    }

    public String render(Map<String, ?> row, Function<Object, String> asText) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Placeholder p) {
                Object value = row.get(p.column());
                out.append(value == null ? "" : asText.apply(value));
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }

    private record Placeholder(String column) {
    }
}
