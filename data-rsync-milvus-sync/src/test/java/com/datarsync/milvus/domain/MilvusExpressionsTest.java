package com.datarsync.milvus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MilvusExpressionsTest {

    @Test
    void quotesEscapeWhatWouldEndOrBreakTheLiteral() {
        assertThat(MilvusExpressions.quote("a\"b\\c\nd\u0001数🚀")).isEqualTo("\"a\\\"b\\\\c\\nd\\x01数🚀\"");
        assertThat(MilvusExpressions.in("row_key", List.of("1", "x\"y"))).isEqualTo("row_key in [\"1\", \"x\\\"y\"]");
    }
}
