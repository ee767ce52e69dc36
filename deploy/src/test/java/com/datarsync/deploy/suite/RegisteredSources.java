package com.datarsync.deploy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data sources the tests' tasks read from: registered through the public API (as an
 * operator would, before defining a task), once per name and test JVM. A source of that name
 * left by an earlier run is updated to the given connection instead.
 */
final class RegisteredSources {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Long> IDS = new ConcurrentHashMap<>();

    private RegisteredSources() {
    }

    /** The id of the source of this name, registered or updated to the given connection. */
    static long idFor(String name, String kind, int port, String database, String username, String password) {
        return IDS.computeIfAbsent(name, n -> register(n, kind, port, database, username, password));
    }

    private static long register(String name, String kind, int port, String database, String username,
            String password) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("kind", kind).put("host", "127.0.0.1")
                .put("port", port).put("database", database).put("username", username).put("password", password);
        try {
            for (JsonNode existing : JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/datasources")).body())) {
                if (existing.path("name").asText().equals(name)) {
                    long id = existing.get("id").asLong();
                    HttpResponse<String> updated = SuiteProcesses.put(SuiteProcesses.gateway("/api/datasources/" + id),
                            body.toString());
                    if (updated.statusCode() != 200) {
                        throw new IllegalStateException("updating data source " + name + ": " + updated.body());
                    }
                    return id;
                }
            }
            HttpResponse<String> created = SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"),
                    body.toString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("registering data source " + name + ": " + created.body());
            }
            return JSON.readTree(created.body()).get("id").asLong();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
