package com.datarsync.common.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTemplateTest {

    @Test
    void rendersColumnsLiteralBracesAndNullsAsEmpty() {
        TextTemplate t = TextTemplate.parse("{{{title}}}: {body} ({lang})");
        Map<String, Object> row = new HashMap<>();
        row.put("title", "标题 🚀");
        row.put("body", 42);
        row.put("lang", null);

        assertThat(t.columns()).containsExactly("title", "body", "lang");
        assertThat(t.render(row, String::valueOf)).isEqualTo("{标题 🚀}: 42 ()");
    }

    @Test
    void refusesTemplatesWithoutColumnsOrWithStrayBraces() {
        assertThatThrownBy(() -> TextTemplate.parse("no columns")).hasMessageContaining("names no column");
        assertThatThrownBy(() -> TextTemplate.parse("{title} {body")).hasMessageContaining("offset 8");
    }
}
