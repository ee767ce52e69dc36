package com.datarsync.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.auth.domain.AuditEntry;
import com.datarsync.auth.infra.AuditEntryRepository;
import com.datarsync.auth.domain.DataScope;
import com.datarsync.common.testsupport.FreshMariaDbDatabase;
import com.datarsync.common.testsupport.LocalInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.springframework.data.redis.core.StringRedisTemplate;
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
    static void database(DynamicPropertyRegistry registry) throws Exception {
        FreshMariaDbDatabase.create("datarsync_it_auth").forEach((k, v) -> registry.add(k, () -> v));
        // The suite's Redis, logical database 1: this test's audit anchor must not meet the suite's.
        registry.add("spring.data.redis.port", () -> LocalInfra.get().port("redis"));
        registry.add("spring.data.redis.database", () -> 1);
        registry.add("spring.data.redis.password", () -> LocalInfra.get().redisPassword());
        registry.add("datarsync.auth.signing-key-file", AuthMetadataIT::throwawaySigningKey);
        registry.add("datarsync.auth.bootstrap.password", () -> "");
    }

    static String throwawaySigningKey() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            Path file = Files.createTempFile("auth-it-key", ".pem");
            Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder()
                    .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    RoleCatalog roles;

    @Autowired
    AuditTrail audit;

    @Autowired
    AuditEntryRepository entries;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void emptyAuditLog() {
        jdbc.update("DELETE FROM audit_log");
        jdbc.update("UPDATE audit_chain_head SET last_hash = ?", AuditEntry.GENESIS);
        redis.delete(AuditTrail.ANCHOR_KEY);
    }

    @Test
    void seededRolesCarryTheirPermissions() {
        assertThat(roles.list()).extracting(RoleCatalog.RoleSummary::code)
                .containsExactly("ADMIN", "OPERATOR", "SUPER_ADMIN", "VIEWER");
        assertThat(roles.list()).allMatch(RoleCatalog.RoleSummary::builtin);
        RoleCatalog.RoleSummary viewer = roles.list().get(3);
        assertThat(viewer.nameZh()).isEqualTo("查看员");
        assertThat(viewer.permissions()).containsExactly("datasource:read", "monitor:read", "task:read");
        assertThat(viewer.dataScope()).isEqualTo(DataScope.ASSIGNED);
        List<String> every = jdbc.queryForList("SELECT code FROM auth_permission ORDER BY code", String.class);
        assertThat(roles.list().get(2).permissions()).isEqualTo(every);
        assertThat(roles.list().get(2).dataScope()).isEqualTo(DataScope.ALL);
        assertThat(roles.list().get(0).permissions()).hasSize(every.size() - 1).contains("user:write", "audit:read")
                .doesNotContain("role:write");
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
    void verificationNamesAnEditedADeletedAndADroppedNewestEntry() {
        List<AuditEntry> written = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            written.add(audit.append("carol", "task.update", "task:" + i, "SUCCESS", "{\"n\":" + i + "}"));
        }
        assertThat(audit.verify().intact()).isTrue();
        long edited = written.get(2).getId();
        long deleted = written.get(5).getId();
        long newest = written.get(7).getId();

        jdbc.update("UPDATE audit_log SET actor = 'mallory' WHERE id = ?", edited);
        jdbc.update("DELETE FROM audit_log WHERE id = ?", deleted);
        jdbc.update("DELETE FROM audit_log WHERE id = ?", newest);

        AuditTrail.Verification v = audit.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.entries()).isEqualTo(6);
        assertThat(v.breaks()).extracting(AuditTrail.Break::kind, AuditTrail.Break::entryId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ALTERED", edited),
                org.assertj.core.groups.Tuple.tuple("MISSING_BEFORE", written.get(6).getId()),
                org.assertj.core.groups.Tuple.tuple("TRUNCATED", written.get(6).getId()));

        // Rolling the head row back as well is still seen, through the hash kept in Redis.
        jdbc.update("UPDATE audit_chain_head SET last_hash = ?", written.get(6).getEntryHash());
        assertThat(audit.verify().breaks()).extracting(AuditTrail.Break::kind).containsExactly(
                "ALTERED", "MISSING_BEFORE", "TRUNCATED");
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
