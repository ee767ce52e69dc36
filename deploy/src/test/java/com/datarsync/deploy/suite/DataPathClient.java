package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the data-path tests do from the outside: create, start and delete tasks through the task
 * API, read Milvus with Strong consistency, and read the change topic in Kafka.
 */
final class DataPathClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final MilvusClientV2 milvus = new MilvusClientV2(ConnectConfig.builder().uri(LocalInfra.get().milvusUri()).build());

    /** Creates the task through the task API and starts it; fails the test when either is refused. */
    void startTask(String definition) {
        String id = createTask(definition);
        HttpResponse<String> started = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + id + "/start"), "");
        assertThat(started.statusCode()).as("start: %s", started.body()).isEqualTo(200);
    }

    /** Creates the task (not started) and returns its id. */
    String createTask(String definition) {
        try {
            String id = JSON.readTree(definition).get("id").asText();
            HttpResponse<String> created = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks"),
                    "{\"definition\": " + definition + "}");
            assertThat(created.statusCode()).as("create: %s", created.body()).isEqualTo(201);
            return id;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes the task through the task API, which stops it in every stage and removes its
     * offsets, slot, consumer groups and topics; the collection too when asked.
     */
    HttpResponse<String> deleteTask(String taskId, boolean dropCollection) {
        HttpResponse<String> deleted = SuiteProcesses.delete(SuiteProcesses.gateway("/api/tasks/" + taskId
                + "?dropCollection=" + dropCollection));
        if (deleted.statusCode() != 200 && deleted.statusCode() != 404) {
            // Called from finally blocks: report, but do not hide the test's own failure.
            System.err.println("Deleting task " + taskId + " answered " + deleted.statusCode() + ": " + deleted.body());
        }
        return deleted;
    }

    /** POST /api/tasks/{id}/{action}; returns the answer. */
    HttpResponse<String> action(String taskId, String action) {
        return SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId + "/" + action), "");
    }

    /** The task's aggregated status from the task manager. */
    static JsonNode taskStatus(String taskId) {
        try {
            return JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId + "/status")).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The task as the task manager sees it, in one line for a failure message: its state and
     * reason, snapshot progress, and each stage copy's state, generation and counters. A wait on
     * a task that times out says with it why the task did not get there (queued, retrying, ...).
     */
    static String describe(String taskId) {
        try {
            JsonNode s = taskStatus(taskId);
            StringBuilder b = new StringBuilder("task ").append(taskId).append(": ").append(s.path("state").asText("?"))
                    .append(" since ").append(s.path("stateSince").asText("?"));
            for (String field : List.of("errorCode", "message", "note")) {
                if (s.hasNonNull(field)) {
                    b.append(", ").append(field).append(' ').append(s.get(field).asText());
                }
            }
            if (s.has("snapshot")) {
                b.append(", snapshot ").append(s.get("snapshot"));
            }
            for (JsonNode stage : s.path("stages")) {
                b.append("; ").append(stage.path("stage").asText()).append(' ').append(stage.path("state").asText())
                        .append(" gen ").append(stage.path("generation").asText()).append(' ')
                        .append(stage.path("counters"));
                if (stage.hasNonNull("message")) {
                    b.append(' ').append(stage.get("message").asText());
                }
            }
            return b.toString();
        } catch (Exception e) {
            return "task " + taskId + ": no status (" + e + ")";
        }
    }

    /**
     * Waits for a condition on a running task; on time-out fails naming what was awaited and
     * the task's state then ({@link #describe}), not only that time ran out.
     */
    static void awaitTask(String taskId, String what, Duration atMost, Duration poll,
            java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(atMost).pollInterval(poll).ignoreExceptions().until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("Not " + what + " within " + atMost.toSeconds() + " s; " + describe(taskId), e);
        }
    }

    /** What one stage (log-listener, data-process, milvus-sync) reports for the task; missing when it does not hold it. */
    JsonNode status(String stage, String taskId) {
        for (JsonNode s : taskStatus(taskId).path("stages")) {
            if (s.path("stage").asText().equals(stage)) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** One of a task's counters in data-process's status answer; 0 when it has not counted yet. */
    long processCounter(String taskId, String name) {
        return status("data-process", taskId).path("counters").path(name).asLong(0);
    }

    /**
     * A metric of data-process's /actuator/prometheus for one task, summed over its series (one
     * per model); 0 when absent.
     */
    static double processMetric(String name, String taskId) {
        return metric("data-process", name, taskId);
    }

    /**
     * A metric of a service's /actuator/prometheus for one task, summed over the series that also
     * carry every {@code labels} pair (name, value, name, value, ...); 0 when absent.
     */
    static double metric(String service, String name, String taskId, String... labels) {
        return metricLines(service, taskId).filter(l -> l.startsWith(name + "{")).filter(l -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!l.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                    return false;
                }
            }
            return true;
        }).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Every series line of a service's /actuator/prometheus that carries the task's tag. */
    static java.util.stream.Stream<String> metricLines(String service, String taskId) {
        String body = SuiteProcesses.get(URI.create("http://127.0.0.1:" + LocalInfra.get().port(service)
                + "/actuator/prometheus")).body();
        return body.lines().filter(l -> !l.startsWith("#") && l.contains("task=\"" + taskId + "\""));
    }

    void dropCollection(String collection) {
        if (milvus.hasCollection(HasCollectionReq.builder().collectionName(collection).build())) {
            milvus.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
        }
    }

    long count(String collection) {
        QueryResp count = milvus.query(QueryReq.builder().collectionName(collection).filter("")
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build());
        return (Long) count.getQueryResults().get(0).getEntity().get("count(*)");
    }

    Map<String, Map<String, Object>> entities(String collection, List<String> fields) {
        List<String> output = new ArrayList<>(fields);
        output.add("pk");
        output.add("embedding");
        QueryResp rows = milvus.query(QueryReq.builder().collectionName(collection).filter("pk != \"\"")
                .outputFields(output).limit(16_000).consistencyLevel(ConsistencyLevel.STRONG).build());
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (QueryResp.QueryResult r : rows.getQueryResults()) {
            out.put((String) r.getEntity().get("pk"), r.getEntity());
        }
        return out;
    }

    /**
     * The vector all-MiniLM-L6-v2 gives a text, computed here by the independent reference
     * ({@link RawOnnxRuntime}), once per distinct text for the whole test run.
     */
    static float[] reference(String text) {
        return REFERENCE_VECTORS.computeIfAbsent(text, t -> {
            try {
                return referenceModel().embed(t);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Computes, in batches, the reference vectors of the texts not yet known (one by one is several times slower). */
    static void references(java.util.Collection<String> texts) {
        List<String> unknown = texts.stream().filter(t -> !REFERENCE_VECTORS.containsKey(t)).distinct().toList();
        if (unknown.isEmpty()) {
            return;
        }
        try {
            List<float[]> vectors = referenceModel().embed(unknown);
            for (int i = 0; i < unknown.size(); i++) {
                REFERENCE_VECTORS.put(unknown.get(i), vectors.get(i));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<String, float[]> REFERENCE_VECTORS = new java.util.concurrent.ConcurrentHashMap<>();
    private static RawOnnxRuntime referenceModel;

    private static synchronized RawOnnxRuntime referenceModel() throws Exception {
        if (referenceModel == null) {
            referenceModel = new RawOnnxRuntime();
        }
        return referenceModel;
    }

    /**
     * Every difference between what the source holds and what Milvus holds: keys, each mapped
     * field, count(*), and each vector against the model applied to the row's text by an
     * independent reference (cosine at least 0.999). Empty when Milvus mirrors the source exactly.
     */
    List<String> differences(String collection, Map<String, Map<String, Object>> expected, Map<String, String> types) {
        List<String> out = new ArrayList<>();
        Map<String, Map<String, Object>> actual = entities(collection, new ArrayList<>(types.keySet()));
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty()) {
            out.add(missing.size() + " keys missing in Milvus, e.g. " + missing.stream().limit(5).toList());
        }
        if (!extra.isEmpty()) {
            out.add(extra.size() + " keys in Milvus not in the source, e.g. " + extra.stream().limit(5).toList());
        }
        references(expected.entrySet().stream().filter(e -> actual.containsKey(e.getKey()))
                .map(e -> E2eTable.embeddedText(e.getValue())).toList());
        for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            Map<String, Object> entity = actual.get(e.getKey());
            if (entity == null) {
                continue;
            }
            for (Map.Entry<String, Object> field : e.getValue().entrySet()) {
                Object got = comparable(entity.get(field.getKey()), types.get(field.getKey()));
                if (!Objects.equals(field.getValue(), got)) {
                    out.add("key " + e.getKey() + " field " + field.getKey() + ": source " + field.getValue()
                            + ", Milvus " + got);
                }
            }
            Object vector = entity.get("embedding");
            if (!(vector instanceof List<?> v) || v.size() != 384) {
                out.add("key " + e.getKey() + ": vector is not 384 floats");
            } else {
                String text = E2eTable.embeddedText(e.getValue());
                double cosine = RawOnnxRuntime.cosine(reference(text), v);
                if (cosine < 0.999) {
                    out.add("key " + e.getKey() + ": vector is not the model's vector of its text (cosine "
                            + String.format("%.4f", cosine) + ")");
                }
            }
            if (out.size() > 20) {
                break;
            }
        }
        long count = count(collection);
        if (count != expected.size()) {
            out.add("count(*) is " + count + ", the source has " + expected.size() + " rows");
        }
        return out;
    }

    private static Object comparable(Object milvusValue, String type) {
        if (milvusValue == null || milvusValue instanceof com.google.gson.JsonNull) {
            return null;
        }
        return switch (type) {
            case "INT8", "INT16", "INT32", "INT64" -> ((Number) milvusValue).longValue();
            case "DOUBLE", "FLOAT" -> ((Number) milvusValue).doubleValue();
            case "JSON" -> E2eTable.json(milvusValue.toString());
            default -> milvusValue;
        };
    }

    /** Waits (up to a minute) until the entity with this primary key holds the number in the field. */
    void awaitNumber(String collection, String primaryKey, String field, long value) {
        await(primaryKey + "." + field + " = " + value).atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                ((Number) entities(collection, List.of(field)).get(primaryKey).get(field)).longValue() == value);
    }

    /** The entities Milvus must hold, read from the source each time it is asked. */
    @FunctionalInterface
    interface ExpectedEntities {
        Map<String, Map<String, Object>> read() throws Exception;
    }

    /** Waits until Milvus mirrors the source table exactly; fails naming the last differences. */
    void awaitMirror(E2eTable table, String collection, String when) {
        awaitMirror(table::expectedEntities, E2eTable.FIELDS, collection, when);
    }

    /**
     * Waits until Milvus holds exactly the expected entities (keys, the given fields, count(*) and
     * each vector against the model applied to {@code title\ncontent}); fails naming the last
     * differences.
     */
    void awaitMirror(ExpectedEntities expected, Map<String, String> types, String collection, String when) {
        List<String>[] last = new List[1];
        try {
            await(when).atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> {
                        last[0] = differences(collection, expected.read(), types);
                        return last[0].isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // The collection is named after its task in these tests: say where the task stood.
            throw new AssertionError("Milvus does not mirror the source " + when + ": " + last[0] + "; "
                    + describe(collection), e);
        }
    }

    @Override
    public void close() {
        milvus.close();
    }
}
