package com.datarsync.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    @Test
    void aLaterRecordOfTheSameRowOrATruncateOfItsTableSupersedesTheLetter() {
        String key = "shop.docs/42";
        String table = ReplayPlan.tableOf(key, true, null);
        assertThat(table).isEqualTo("shop.docs");

        assertThat(ReplayPlan.supersedes(new ReplayPlan.LaterRecord(11, key, null), 10, key, table)).isTrue();
        assertThat(ReplayPlan.supersedes(new ReplayPlan.LaterRecord(11, "shop.docs/43", null), 10, key, table))
                .as("another row").isFalse();
        assertThat(ReplayPlan.supersedes(new ReplayPlan.LaterRecord(10, key, null), 10, key, table))
                .as("the letter's own record").isFalse();
        assertThat(ReplayPlan.supersedes(new ReplayPlan.LaterRecord(12, "shop.docs/", "shop.docs"), 10, key, table))
                .as("its table truncated").isTrue();
        assertThat(ReplayPlan.supersedes(new ReplayPlan.LaterRecord(12, "shop.other/", "shop.other"), 10, key, table))
                .as("another table truncated").isFalse();
        assertThat(ReplayPlan.supersedes(new ReplayPlan.LaterRecord(13, null, ReplayPlan.EVERY_TABLE), 10, key, table))
                .as("a new snapshot began").isTrue();
    }

    @Test
    void aOneTableTasksVectorKeysNameNoTable() {
        assertThat(ReplayPlan.tableOf("42", false, "shop.docs")).isEqualTo("shop.docs");
        assertThat(ReplayPlan.tableOf("a/b", false, "shop.docs")).isEqualTo("shop.docs");
        assertThat(ReplayPlan.truncateKeyTable("shop.docs/")).isEqualTo("shop.docs");
        assertThat(ReplayPlan.truncateKeyTable("shop.docs/42")).isNull();
        assertThat(ReplayPlan.truncateKeyTable(null)).isNull();
    }
}
