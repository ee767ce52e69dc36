package com.datarsync.listener.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.event.RowKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceRowReaderTest {

    @Test
    void splittingARowKeyGivesBackTheValuesItWasMadeOf() {
        List<String> values = List.of("7", "a|b", "c\\d", "", "x");
        assertThat(SourceRowReader.splitKey(RowKey.of(values))).containsExactlyElementsOf(values);
        assertThat(SourceRowReader.splitKey("42")).containsExactly("42");
    }
}
