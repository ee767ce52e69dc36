package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.quote;
import static com.datarsync.deploy.suite.AuthClient.read;
import static com.datarsync.deploy.suite.SuiteProcesses.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A fuzz run of the public API from the services' own OpenAPI documents, read through the
 * gateway over HTTPS: Schemathesis (from PyPI, installed by the script) generates valid and
 * invalid requests for every operation, one run per document, at least
 * {@code DATARSYNC_FUZZ_REQUESTS} each (10 in the test command, 25 in {@code datarsync bench};
 * 1,000 for a deep run, docs/security.md), as a user holding every permission. Every
 * answer is read back from Schemathesis' HAR report: none is a 5xx, none carries a stack trace,
 * a Java class name or one of the suite's secrets. Runs after the other suite tests (it may
 * delete or change what it finds); only {@link SecretsNotLeakedIT} comes later.
 */
@Order(Integer.MAX_VALUE - 1)
class ApiFuzzIT extends RunningSuite {

    private static final List<String> DOCUMENTS = List.of("/api/auth/openapi.json", "/api/datasources/openapi.json",
            "/api/tasks/openapi.json", "/api/monitor/openapi.json");
    /** Ends the fuzzer's own session: tested by AuthIT and TokenMatrixIT instead. */
    private static final List<String> NOT_FUZZED = List.of("POST /api/auth/logout");
    private static final Pattern LEAK = Pattern.compile("\\tat [a-z]|Exception\\b|\\b(java|javax|jakarta|org\\.springframework"
            + "|com\\.datarsync|org\\.hibernate|com\\.fasterxml)\\.[a-z]+\\.");

    private static final String LOG_SEARCH = "GET /api/monitor/logs";

    private final LocalInfra infra = LocalInfra.get();

    @Test
    void theFuzzedApiAnswersNo5xxAndNoStackTraceClassNameOrSecret() throws Exception {
        // 10 requests per operation in the test command, 25 in datarsync bench (docs/testing.md).
        int perOperation = SuiteSize.setting("DATARSYNC_FUZZ_REQUESTS", 10, 25);
        // Under the gateway's per-user limit (50/s); the full run raises both (docs/security.md).
        int rate = Integer.parseInt(System.getenv().getOrDefault("DATARSYNC_FUZZ_RATE", "40"));
        String user = "fuzz" + runId();
        String password = "Pw-" + runId() + "-Fuzz-9z";
        createFuzzUser(user, password);

        Path work = Files.createDirectories(infra.work().resolve("fuzz/" + runId()));
        Map<String, Integer> requests = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        long started = System.nanoTime();
        // Logged in once: fuzzing the login route fails many logins from this address, which the
        // login throttle answers by locking the address, so later tokens come from refreshes.
        String[] refresh = {AuthClient.tokens(user, password).get("refreshToken").asText()};
        try {
            // One Schemathesis run per document (its examples, coverage and fuzzing phases over
            // every operation at once): one process start per service instead of one per operation.
            Map<String, List<String>> operationsOf = new LinkedHashMap<>();
            for (String document : DOCUMENTS) {
                List<String> operations = new ArrayList<>();
                JsonNode api = read(SuiteProcesses.get(gateway(document)).body());
                for (Map.Entry<String, JsonNode> path : iterable(api.path("paths"))) {
                    for (Map.Entry<String, JsonNode> op : iterable(path.getValue())) {
                        String operation = op.getKey().toUpperCase() + " " + path.getKey();
                        if (!NOT_FUZZED.contains(operation)) {
                            operations.add(operation);
                            requests.put(operation, 0);
                        }
                    }
                }
                operationsOf.put(document, operations);
                Path har = work.resolve(document.replaceAll("[^A-Za-z0-9]+", "_") + ".har");
                List<String> scope = new ArrayList<>();
                NOT_FUZZED.forEach(name -> scope.addAll(List.of("--exclude-name", name)));
                schemathesis(document, scope, freshToken(refresh), perOperation, rate, 20261201, har);
                checkAnswers(document, operations, har, password, requests, problems);
            }
            // An operation with few distinct inputs (no parameters) gets fewer requests than its
            // share from that run: such operations are run again together, Schemathesis repeating
            // their fuzzing phase until a time budget for what they still owe is spent. A budget
            // too short for slow answers (the audit chain verification reads the whole chain) is
            // followed by another for what is still owed, from the rate they answered at.
            for (Map.Entry<String, List<String>> document : operationsOf.entrySet()) {
                double secondsPerRequest = 1.0 / Math.min(rate, 25);
                for (int attempt = 1; attempt <= 4; attempt++) {
                    List<String> owing = document.getValue().stream().filter(o -> requests.get(o) < perOperation).toList();
                    if (owing.isEmpty()) {
                        break;
                    }
                    int owed = owing.stream().mapToInt(o -> perOperation - requests.get(o)).sum();
                    int before = owing.stream().mapToInt(requests::get).sum();
                    int budget = (int) Math.min(1800, Math.ceil(owed * secondsPerRequest * 1.2) + 2);
                    List<String> scope = new ArrayList<>(List.of("--max-time", Integer.toString(budget)));
                    owing.forEach(name -> scope.addAll(List.of("--include-name", name)));
                    Path har = work.resolve(document.getKey().replaceAll("[^A-Za-z0-9]+", "_") + "-" + attempt + ".har");
                    long runStarted = System.nanoTime();
                    schemathesis(document.getKey(), scope, freshToken(refresh), perOperation, rate, 20261201 + attempt,
                            har);
                    checkAnswers(document.getKey(), document.getValue(), har, password, requests, problems);
                    int sent = owing.stream().mapToInt(requests::get).sum() - before;
                    secondsPerRequest = Math.max(secondsPerRequest, (System.nanoTime() - runStarted) / 1e9 / Math.max(1, sent));
                }
                document.getValue().stream().filter(o -> requests.get(o) < perOperation).forEach(o -> problems.add(o
                        + ": only " + requests.get(o) + " requests sent (want " + perOperation + ")"));
            }
        } finally {
            forgetFailedLogins();
        }
        long total = requests.values().stream().mapToLong(Integer::longValue).sum();
        long operations = requests.keySet().stream().filter(k -> !k.startsWith("(")).count();
        System.out.printf("API FUZZ %d operations, %d requests (at least %d each, %d/s), %.0f s:%n  %s%n",
                operations, total, perOperation, rate, (System.nanoTime() - started) / 1e9,
                String.join("\n  ", requests.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        assertThat(operations).isGreaterThan(40);
        assertThat(problems).isEmpty();
    }

    /**
     * Reads one run's HAR report: counts its requests per operation (a request whose method and
     * path match no operation, such as the coverage phase's unsupported methods, counts for none)
     * and records every answer that breaks a rule.
     */
    private void checkAnswers(String document, List<String> operations, Path har, String password,
            Map<String, Integer> requests, List<String> problems) throws IOException {
        for (JsonNode entry : read(Files.readString(har)).path("log").path("entries")) {
            String method = entry.path("request").path("method").asText();
            String url = entry.path("request").path("url").asText();
            String operation = operationOf(operations, method, url.replaceFirst("^[a-z]+://[^/]+", "")
                    .replaceFirst("[?#].*$", ""));
            requests.merge(operation == null ? "(no operation) " + document : operation, 1, Integer::sum);
            int status = entry.path("response").path("status").asInt();
            String body = entry.path("response").path("content").path("text").asText("");
            String where = method + " " + url;
            String code = errorCode(body);
            // DRS-5031: the operator's source database cannot be reached (a source registered
            // by the fuzzer at a random address): the upstream is down, and the answer says so.
            if (status >= 500 && !(status == 503 && code.equals("DRS-5031"))) {
                problems.add(where + " answered " + status + ": " + body);
            }
            // The log search's answers are log lines, stack traces and logger names included, by
            // design (for a caller who sees every source); its refusals are held to the rule.
            boolean logLines = LOG_SEARCH.equals(operation) && status == 200;
            if (!logLines && LEAK.matcher(body).find()) {
                problems.add(where + " answered a stack trace or class name: " + body);
            }
            for (String secret : List.of(infra.dbPassword(), infra.pgPassword(),
                    infra.value("DATARSYNC_INTERNAL_TOKEN"), password)) {
                if (body.contains(secret)) {
                    problems.add(where + " answered a secret");
                }
            }
        }
    }

    /**
     * The operation ("METHOD /template") a request was sent to: its method and a template whose
     * literal segments equal the path's; of several, the one with the fewest parameters
     * ({@code /api/tasks/validate} before {@code /api/tasks/{id}}).
     */
    static String operationOf(List<String> operations, String method, String rawPath) {
        String[] segments = rawPath.split("/", -1);
        String best = null;
        int bestParameters = Integer.MAX_VALUE;
        for (String operation : operations) {
            int space = operation.indexOf(' ');
            if (!operation.substring(0, space).equals(method)) {
                continue;
            }
            String[] template = operation.substring(space + 1).split("/", -1);
            if (template.length != segments.length) {
                continue;
            }
            int parameters = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{")) {
                    parameters++;
                    matches = !segments[i].isEmpty();
                } else {
                    matches = template[i].equals(segments[i]);
                }
            }
            if (matches && parameters < bestParameters) {
                best = operation;
                bestParameters = parameters;
            }
        }
        return best;
    }

    /** A fresh access token from the refresh token (a long run outlives one: 10 minutes). */
    private static String freshToken(String[] refresh) {
        JsonNode renewed = read(call("POST", gateway("/api/auth/refresh"), null,
                "{\"refreshToken\":" + quote(refresh[0]) + "}").body());
        refresh[0] = renewed.get("refreshToken").asText();
        return renewed.get("accessToken").asText();
    }

    /**
     * One Schemathesis run over a document's operations as {@code scope} selects them: the
     * examples, coverage and fuzzing phases, {@code examples} generated cases per operation at
     * most, at {@code rate} requests a second. Not the stateful phase: following links, it would
     * delete or lock out the fuzzer's own user and role (and the administrator) mid-run.
     */
    private void schemathesis(String document, List<String> scope, String token, int examples, int rate, int seed,
            Path har) throws IOException, InterruptedException {
        Path st = SuiteProcesses.tool("fuzz-venv/bin/st");
        List<String> command = new ArrayList<>(List.of(st.toString(), "run", gateway(document).toString(),
                "--url", gateway("").toString(), "--tls-verify", infra.work().resolve("tls/gateway.crt").toString(),
                "-H", "Authorization: Bearer " + token, "--phases", "examples,coverage,fuzzing",
                "--max-examples", Integer.toString(examples), "--seed", Integer.toString(seed),
                "--checks", "not_a_server_error", "--rate-limit", rate + "/s", "--workers", "1", "--no-color",
                "--request-timeout", "30", "--report", "har", "--report-har-path", har.toString(),
                "--output-sanitize", "true", "--suppress-health-check", "all", "--generation-database", "none"));
        command.addAll(scope);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(2, TimeUnit.HOURS)).isTrue();
        assertThat(Files.exists(har)).as("Schemathesis wrote no report for %s %s: %s", document, scope, output).isTrue();
    }

    /** A user of a role holding every permission code, data of all sources; not a super administrator. */
    private static void createFuzzUser(String user, String password) {
        String admin = AdminSession.accessToken();
        List<String> codes = new ArrayList<>();
        read(call("GET", gateway("/api/auth/permissions"), admin, null).body()).forEach(p -> codes.add(quote(p.get("code")
                .asText())));
        String role = "FUZZ_" + runId().toUpperCase();
        HttpResponse<String> r = call("POST", gateway("/api/auth/roles"), admin, "{\"code\":\"" + role
                + "\",\"nameEn\":\"Fuzzer\",\"nameZh\":\"模糊测试\",\"dataScope\":\"ALL\",\"permissions\":" + codes + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        r = call("POST", gateway("/api/auth/users"), admin, "{\"username\":\"" + user + "\",\"password\":" + quote(password)
                + ",\"roles\":[\"" + role + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /**
     * Removes the login throttle's counters and locks: they hold the fuzzer's thousands of failed
     * logins from this address, which would keep every later login from it waiting 15 minutes.
     */
    private void forgetFailedLogins() {
        org.redisson.config.Config config = new org.redisson.config.Config();
        config.useSingleServer().setAddress(infra.redisUri()).setPassword(infra.redisPassword());
        org.redisson.api.RedissonClient redis = org.redisson.Redisson.create(config);
        try {
            redis.getKeys().deleteByPattern(com.datarsync.common.security.RevocationKeys.PREFIX + "login:*");
        } finally {
            redis.shutdown();
        }
    }

    private static String errorCode(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("code").asText("");
        } catch (IOException notJson) {
            return "";
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out.entrySet();
    }
}
