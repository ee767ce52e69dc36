package com.datarsync.common.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.task.SourceKind;
import org.junit.jupiter.api.Test;

/** The one JDBC URL shape of every source, whichever service opens it. */
class SourceJdbcTest {

    @Test
    void eachKindHasItsOwnDriverAndAnIpv6HostIsBracketed() {
        assertThat(SourceJdbc.url(SourceKind.MARIADB, "db.example", 3306, "shop")).isEqualTo("jdbc:mariadb://db.example:3306/shop");
        assertThat(SourceJdbc.url(SourceKind.MYSQL, "10.0.0.5", 3307, "shop")).isEqualTo("jdbc:mysql://10.0.0.5:3307/shop");
        assertThat(SourceJdbc.url(SourceKind.POSTGRES, "::1", 5432, "shop")).isEqualTo("jdbc:postgresql://[::1]:5432/shop");
        assertThat(SourceJdbc.url(SourceKind.POSTGRES, "[fe80::1]", 5432, "shop")).isEqualTo("jdbc:postgresql://[fe80::1]:5432/shop");
    }

    @Test
    void kindsNotReachedOverJdbcAreRefused() {
        assertThatThrownBy(() -> SourceJdbc.url(SourceKind.MONGODB, "h", 27017, "d")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mongodb");
    }

    @Test
    void theEndpointNeverPrintsItsPassword() {
        assertThat(new SourceJdbc.Endpoint(SourceKind.MARIADB, "h", 1, "d", "u", "s3cret").toString()).doesNotContain("s3cret");
    }
}
