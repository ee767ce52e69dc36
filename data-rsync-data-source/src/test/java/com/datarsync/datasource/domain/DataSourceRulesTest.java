package com.datarsync.datasource.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.task.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataSourceRulesTest {

    private static List<String> fields(DataSourceRules.Fields f) {
        return DataSourceRules.check(f, true).stream().map(FieldViolation::field).toList();
    }

    @Test
    void aCompleteSourceHasNoViolation() {
        assertThat(fields(new DataSourceRules.Fields("orders db", "mariadb", "db-1.example.com", 3306, "shop",
                "cdc", "pw", null))).isEmpty();
        assertThat(fields(new DataSourceRules.Fields("cache", "redis", "10.0.0.7", null, null, null, null, null)))
                .isEmpty();
        assertThat(fields(new DataSourceRules.Fields("v6", "postgres", "fe80::1", 5432, "shop", "cdc", "pw", null)))
                .isEmpty();
    }

    @Test
    void nothingThatCouldAddDriverParametersOrHostsPassesAsHostOrDatabase() {
        for (String host : List.of("h?ssl=false", "h/db", "h;x", "user@h", "h&a=b", "h,i", "h i", "", "-h", "h:3306x")) {
            assertThat(DataSourceRules.validHost(host)).as(host).isFalse();
        }
        assertThat(fields(new DataSourceRules.Fields("n", "mariadb", "h", 1, "db?allowMultiQueries=true", "u", "p",
                null))).containsExactly("database");
    }

    @Test
    void missingFieldsAreEachNamed() {
        assertThat(fields(new DataSourceRules.Fields(null, null, null, null, null, null, null, null)))
                .contains("name", "kind", "host", "password");
        assertThat(fields(new DataSourceRules.Fields("n", "oracle", "h", 0, null, "u", "p", null)))
                .containsExactly("port", "database");
    }
}
