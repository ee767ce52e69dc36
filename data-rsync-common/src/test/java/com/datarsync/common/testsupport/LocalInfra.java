package com.datarsync.common.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the real local components started by {@code deploy/local/datarsync} listen, read the
 * same way the scripts read it: the environment first, then {@code <work>/secrets.env}
 * (generated passwords), then {@code deploy/local/defaults.env}. Integration tests use this,
 * never a port written into the test.
 */
public final class LocalInfra {

    private static volatile LocalInfra instance;

    private final Path repo;
    private final Map<String, String> values;

    private LocalInfra(Path repo, Map<String, String> values) {
        this.repo = repo;
        this.values = values;
    }

    public static LocalInfra get() {
        if (instance == null) {
            synchronized (LocalInfra.class) {
                if (instance == null) {
                    instance = load();
                }
            }
        }
        return instance;
    }

    private static LocalInfra load() {
        Path repo = findRepo();
        Map<String, String> merged = new HashMap<>(readEnvFile(repo.resolve("deploy/local/defaults.env")));
        String workEnv = System.getenv("DATARSYNC_WORK");
        Path work = workEnv != null && !workEnv.isBlank() ? Path.of(workEnv) : repo.resolve(".work");
        merged.putAll(readEnvFile(work.resolve("secrets.env")));
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("DATARSYNC_")) {
                merged.put(k, v);
            }
        });
        merged.putIfAbsent("DATARSYNC_WORK", work.toString());
        return new LocalInfra(repo, Map.copyOf(merged));
    }

    private static Path findRepo() {
        String configured = System.getenv("DATARSYNC_REPO");
        if (configured != null && Files.isRegularFile(Path.of(configured, "deploy/local/defaults.env"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/local/defaults.env"))) {
                return p;
            }
        }
        throw new IllegalStateException("deploy/local/defaults.env not found above " + Path.of("").toAbsolutePath());
    }

    /** Parses KEY=VALUE lines; also the {@code : "${KEY:=value}"} form the scripts source. */
    static Map<String, String> readEnvFile(Path file) {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith(": \"${") && line.endsWith("}\"")) {
                    line = line.substring(5, line.length() - 2).replaceFirst(":=", "=");
                } else if (line.startsWith("export ")) {
                    line = line.substring(7);
                }
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    public String value(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException(key + " is not set (defaults.env, secrets.env or environment)");
        }
        return v;
    }

    public int port(String component) {
        return Integer.parseInt(value("DATARSYNC_" + component.toUpperCase().replace('-', '_') + "_PORT"));
    }

    public Path repo() {
        return repo;
    }

    /** Where the local suite keeps its data, logs and generated secrets. */
    public Path work() {
        return Path.of(value("DATARSYNC_WORK"));
    }

    public String mariaDbUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port("mariadb") + "/" + database;
    }

    public String postgresUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port("postgres") + "/" + database;
    }

    public String dbUser() {
        return value("DATARSYNC_DB_USER");
    }

    public String dbPassword() {
        return value("DATARSYNC_DB_PASSWORD");
    }

    public String pgUser() {
        return value("DATARSYNC_PG_USER");
    }

    public String pgPassword() {
        return value("DATARSYNC_PG_PASSWORD");
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + port("kafka");
    }

    /**
     * A Kafka client's settings for the local suite: the given ones, the broker and the suite's SASL
     * login (property names as Kafka spells them; common has no Kafka client to name them).
     */
    public Map<String, Object> kafkaClient(Map<String, Object> settings) {
        Map<String, Object> out = new HashMap<>(settings);
        out.put("bootstrap.servers", kafkaBootstrap());
        String protocol = value("DATARSYNC_KAFKA_SECURITY_PROTOCOL");
        out.put("security.protocol", protocol);
        if (protocol.startsWith("SASL")) {
            out.put("sasl.mechanism", value("DATARSYNC_KAFKA_SASL_MECHANISM"));
            out.put("sasl.jaas.config", kafkaLogin(value("DATARSYNC_KAFKA_USERNAME"), value("DATARSYNC_KAFKA_PASSWORD")));
        }
        return out;
    }

    /** The JAAS line of a PLAIN login (the local suite's mechanism). */
    public static String kafkaLogin(String username, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + username
                + "\" password=\"" + password + "\";";
    }

    public String milvusUri() {
        return "http://127.0.0.1:" + port("milvus");
    }

    public String nacosAddr() {
        return "127.0.0.1:" + port("nacos");
    }

    public String redisPassword() {
        return value("DATARSYNC_REDIS_PASSWORD");
    }

    public String redisUri() {
        return "redis://127.0.0.1:" + port("redis");
    }
}
