package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RType;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Runs after every other suite test ({@code @Order} last): the generated source passwords (and
 * the suite's other secrets) appear in no log file of any component or service, in no Redis key
 * or value, and in no API answer any test received (SuiteProcesses records them all); the
 * registry's credential column holds cipher text only.
 */
@Order(Integer.MAX_VALUE)
class SecretsNotLeakedIT extends RunningSuite {

    private final LocalInfra infra = LocalInfra.get();

    private Map<String, String> secrets() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("MariaDB source password", infra.dbPassword());
        out.put("PostgreSQL source password", infra.pgPassword());
        out.put("metadata database password", infra.value("DATARSYNC_META_DB_PASSWORD"));
        out.put("demo source password", infra.value("DATARSYNC_DEMO_DB_PASSWORD"));
        out.put("Kafka password", infra.value("DATARSYNC_KAFKA_PASSWORD"));
        out.put("Kafka node password", infra.value("DATARSYNC_KAFKA_BROKER_PASSWORD"));
        out.put("super administrator password", infra.value("DATARSYNC_ADMIN_PASSWORD"));
        out.put("internal credential", infra.value("DATARSYNC_INTERNAL_TOKEN"));
        out.put("XXL-Job access token", infra.value("DATARSYNC_XXL_JOB_TOKEN"));
        out.put("Nacos password", infra.value("DATARSYNC_NACOS_PASSWORD"));
        out.put("Redis password", infra.redisPassword());
        out.put("metrics scrape credential", infra.value("DATARSYNC_METRICS_TOKEN"));
        // The AES keys of data-source credentials and alert channel secrets: <id>:<base64>, ...
        for (String name : List.of("DATARSYNC_CREDENTIAL_KEYS", "DATARSYNC_CHANNEL_KEYS")) {
            for (String entry : infra.value(name).split(",")) {
                String key = entry.substring(entry.indexOf(':') + 1).trim();
                out.put(name + " key " + entry.substring(0, Math.max(0, entry.indexOf(':'))), key);
            }
        }
        return out;
    }

    @Test
    void noLogFileHoldsASecret() throws IOException {
        List<String> found = new ArrayList<>();
        long bytes = 0;
        int files = 0;
        try (Stream<Path> all = Files.walk(infra.work().resolve("logs"))) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                bytes += text.length();
                files++;
                secrets().forEach((what, secret) -> {
                    if (text.contains(secret)) {
                        found.add(what + " in " + file);
                    }
                });
            }
        }
        System.out.printf("SECRETS searched in %d log files (%d MB), API answers included%n", files, bytes >> 20);
        assertThat(infra.work().resolve("logs/test-api-answers.log")).exists();
        assertThat(files).isGreaterThan(10);
        assertThat(found).isEmpty();
    }

    @Test
    void noRedisKeyOrValueHoldsASecret() {
        Config config = new Config();
        config.useSingleServer().setAddress(infra.redisUri()).setPassword(infra.redisPassword());
        // Bytes as Latin-1 text: every byte is one character, so an ASCII secret is found as is.
        config.setCodec(new StringCodec(StandardCharsets.ISO_8859_1));
        RedissonClient redis = Redisson.create(config);
        List<String> found = new ArrayList<>();
        int keys = 0;
        try {
            for (String key : redis.getKeys().getKeys()) {
                keys++;
                String content = key + "\n" + content(redis, key);
                secrets().forEach((what, secret) -> {
                    if (content.contains(secret)) {
                        found.add(what + " in Redis key " + key);
                    }
                });
            }
        } finally {
            redis.shutdown();
        }
        System.out.printf("SECRETS searched in %d Redis keys%n", keys);
        assertThat(keys).isGreaterThan(0);
        assertThat(found).isEmpty();
    }

    @Test
    void theCredentialColumnHoldsCipherTextOnly() throws Exception {
        // A source of its own with the suite's real password: the fuzz run before may have
        // deleted every source the other tests registered.
        java.net.http.HttpResponse<String> created = SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), """
                {"name": "sealed %s", "kind": "mariadb", "host": "127.0.0.1", "port": %d, "database": "%s",
                 "username": "%s", "password": "%s"}""".formatted(runId(), infra.port("mariadb"),
                infra.value("DATARSYNC_DEMO_DB"), infra.dbUser(), infra.dbPassword()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = JSON.readTree(created.body()).path("id").asLong();
        int rows = 0;
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_META_DB")),
                infra.dbUser(), infra.dbPassword()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT credential_cipher FROM data_source WHERE credential_cipher IS NOT NULL")) {
            while (rs.next()) {
                rows++;
                String stored = rs.getString(1);
                assertThat(stored).startsWith("v1:");
                secrets().values().forEach(secret -> assertThat(stored).doesNotContain(secret));
            }
        } finally {
            SuiteProcesses.delete(SuiteProcesses.gateway("/api/datasources/" + id));
        }
        assertThat(rows).isGreaterThan(0);
    }

    private static String content(RedissonClient redis, String key) {
        RType type = redis.getKeys().getType(key);
        if (type == null) {
            return "";
        }
        return switch (type) {
            case OBJECT -> String.valueOf(redis.getBucket(key).get());
            case MAP -> String.valueOf(redis.getMap(key).readAllMap());
            case LIST -> String.valueOf(redis.getList(key).readAll());
            case SET -> String.valueOf(redis.getSet(key).readAll());
            case ZSET -> String.valueOf(redis.getScoredSortedSet(key).readAll());
            case STREAM -> String.valueOf(redis.getStream(key).range(StreamMessageId.MIN, StreamMessageId.MAX));
            default -> throw new IllegalStateException("Redis key " + key + " of type " + type + " not read");
        };
    }
}
