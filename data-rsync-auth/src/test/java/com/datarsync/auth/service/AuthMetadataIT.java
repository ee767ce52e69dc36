package com.datarsync.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.auth.domain.AuditEntry;
import com.datarsync.auth.infra.AuditEntryRepository;
import com.datarsync.common.testsupport.FreshMariaDbDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The auth service's tables on the real MariaDB: Flyway builds them from an empty database,
 * JPA maps them (ddl validate), RBAC seeds are readable and the audit chain is tamper-evident.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.cloud.nacos.discovery.enabled=false",
        "spring.cloud.nacos.config.enabled=false",
        "spring.cloud.service-registry.auto-registration.enabled=false"})
class AuthMetadataIT {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        FreshMariaDbDatabase.create("datarsync_it_auth").forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    RoleCatalog roles;

    @Autowired
    AuditTrail audit;

    @Autowired
    AuditEntryRepository entries;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void emptyAuditLog() {
        jdbc.update("DELETE FROM audit_log");
        jdbc.update("UPDATE audit_chain_head SET last_hash = ?", AuditEntry.GENESIS);
    }

    @Test
    void seededRolesCarryTheirPermissions() {
        assertThat(roles.list()).extracting(RoleCatalog.RoleSummary::code).containsExactly("ADMIN", "OPERATOR", "VIEWER");
        RoleCatalog.RoleSummary viewer = roles.list().get(2);
        assertThat(viewer.nameZh()).isEqualTo("只读用户");
        assertThat(viewer.permissions()).containsExactly("datasource:read", "monitor:read", "task:read");
        assertThat(roles.list().get(0).permissions()).hasSize(9).contains("user:admin", "audit:read");
    }

    @Test
    void editingAnEntryBreaksTheChainFromThatEntry() {
        audit.append("alice", "task.create", "task/orders", "OK", "{\"mode\":\"FULL\"}");
        AuditEntry second = audit.append("alice", "task.start", "task/orders", "OK", null);
        audit.append("bob", "user.login", "user/bob", "DENIED", "bad password");
        assertThat(audit.firstBrokenEntry()).isEmpty();

        jdbc.update("UPDATE audit_log SET outcome = 'FAILED' WHERE id = ?", second.getId());

        assertThat(audit.firstBrokenEntry()).contains(second.getId());
    }

    @Test
    void concurrentAppendsStayOneLinearChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AuditEntry>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                futures.add(pool.submit(() -> audit.append("worker-" + (n % 4), "probe", "item/" + n, "OK", null)));
            }
            for (Future<AuditEntry> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }

        List<AuditEntry> all = entries.findAll();
        assertThat(all).hasSize(24);
        // No two entries share a predecessor, and the walk from genesis covers every entry.
        assertThat(new HashSet<>(all.stream().map(AuditEntry::getPrevHash).toList())).hasSize(24);
        assertThat(audit.firstBrokenEntry()).isEmpty();
    }
}
