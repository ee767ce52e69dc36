package com.datarsync.deploy.suite;

import com.datarsync.common.testsupport.LocalInfra;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts and stops the suite's service processes through the same script a person uses
 * ({@code deploy/local/datarsync}), so the tests exercise the real start-up path: jars, JVM
 * options, Nacos registration. Starting is idempotent; the services are shared by every suite
 * test in this JVM.
 */
final class SuiteProcesses {

    /** Back-end services the gateway routes to, and the path prefix that reaches each. */
    static final Map<String, String> BACKENDS = Map.of(
            "data-rsync-auth", "/api/auth",
            "data-rsync-data-source", "/api/datasources",
            "data-rsync-task-manager", "/api/tasks",
            "data-rsync-monitor", "/api/monitor");

    /**
     * The data-path stages, workers of the task manager with no public route: their service name,
     * the script's name for them and their own API prefix (reached on their port only).
     */
    static final List<List<String>> STAGES = List.of(
            List.of("data-rsync-log-listener", "log-listener", "/api/listener"),
            List.of("data-rsync-data-process", "data-process", "/api/process"),
            List.of("data-rsync-milvus-sync", "milvus-sync", "/api/milvus"));

    static final List<String> ALL_SERVICES = List.of("auth", "data-source", "task-manager", "log-listener",
            "data-process", "milvus-sync", "monitor", "gateway");

    /** Trusts the gateway's generated certificate (and only it) for HTTPS; plain HTTP elsewhere. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(gatewayTrust()).build();

    private SuiteProcesses() {
    }

    static synchronized void ensureAllRunning() {
        script("start", "services");
    }

    static void start(String service) {
        script("start", service);
    }

    static void stop(String service) {
        script("stop", service);
    }

    /** A further instance of a service on its own port ({@code datarsync instance ACTION SERVICE PORT}). */
    static void instance(String action, String service, int port) {
        instance(action, service, port, Map.of());
    }

    /** The same, with extra environment variables for the new instance (its configuration). */
    static void instance(String action, String service, int port, Map<String, String> environment) {
        script(environment, "instance", action, service, String.valueOf(port));
    }

    /** SIGKILL: no shutdown hooks run, as in a crash. */
    static void kill(String service) {
        script("kill", service);
    }

    private static void script(String... args) {
        script(Map.of(), args);
    }

    private static void script(Map<String, String> environment, String... args) {
        LocalInfra infra = LocalInfra.get();
        List<String> command = new ArrayList<>(List.of("bash", infra.repo().resolve("deploy/local/datarsync").toString()));
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("datarsync-script", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process p = builder.start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ":\n"
                        + Files.readString(log));
            }
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A file of the tools the script installs outside the repository ({@code DATARSYNC_TOOLS}, by
     * default {@code ~/.local/share/datarsync}), e.g. {@code venv/bin/python}.
     */
    static Path tool(String relative) {
        String tools = System.getenv("DATARSYNC_TOOLS");
        return tools != null && !tools.isBlank() ? Path.of(tools, relative)
                : Path.of(System.getProperty("user.home"), ".local/share/datarsync", relative);
    }

    /**
     * A field of {@code /proc/<pid>/status} (e.g. {@code VmRSS}) of a process the script started,
     * in kB; empty when it does not run.
     */
    static java.util.OptionalLong procStatusKb(String name, String field) throws IOException {
        String work = System.getenv("DATARSYNC_WORK");
        Path run = work != null ? Path.of(work, "run") : LocalInfra.get().repo().resolve(".work/run");
        Path pidFile = run.resolve(name + ".pid");
        if (!Files.exists(pidFile)) {
            return java.util.OptionalLong.empty();
        }
        String pid = Files.readAllLines(pidFile).get(0).trim();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith(field + ":")) {
                return java.util.OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")));
            }
        }
        return java.util.OptionalLong.empty();
    }

    /**
     * CPU time (user + system, all threads) each named process the script started has used so
     * far, in seconds, from {@code /proc/<pid>/stat}; "test" is this JVM. Missing when it does not run.
     */
    static Map<String, Double> cpuSeconds(List<String> names) throws IOException {
        String work = System.getenv("DATARSYNC_WORK");
        Path run = work != null ? Path.of(work, "run") : LocalInfra.get().repo().resolve(".work/run");
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (String name : names) {
            String pid;
            if (name.equals("test")) {
                pid = "self";
            } else if (Files.exists(run.resolve(name + ".pid"))) {
                pid = Files.readAllLines(run.resolve(name + ".pid")).get(0).trim();
            } else {
                continue;
            }
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // Fields after the command name (which may hold spaces) start at state: utime is the 12th, stime the 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            out.put(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0);
        }
        return out;
    }

    /** Peak resident memory (VmHWM) of the named processes the script started, e.g. "kafka 512 MB, ...". */
    static String peakMemory(List<String> names) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            java.util.OptionalLong kb = procStatusKb(name, "VmHWM");
            if (kb.isPresent()) {
                out.append(out.isEmpty() ? "" : ", ").append(name).append(' ').append(kb.getAsLong() / 1024).append(" MB");
            }
        }
        return out.isEmpty() ? "n/a" : out.toString();
    }

    /**
     * An SSL context that trusts exactly the certificate the local suite generated for the
     * gateway ({@code <work>/tls/gateway.crt}), as an operator's client would be set up.
     */
    static javax.net.ssl.SSLContext gatewayTrust() {
        try (java.io.InputStream pem = java.nio.file.Files.newInputStream(
                LocalInfra.get().work().resolve("tls/gateway.crt"))) {
            java.security.cert.Certificate certificate = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(pem);
            java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("data-rsync-gateway", certificate);
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the gateway certificate of the local suite cannot be read", e);
        }
    }

    /** Where a service answers health and metrics: the gateway on its loopback management port. */
    static int healthPort(String service) {
        return LocalInfra.get().port(service.equals("gateway") ? "gateway-management" : service);
    }

    /** A path on one service's own port, bypassing the gateway (the stages have no public route). */
    static URI direct(String service, String path) {
        return URI.create("http://127.0.0.1:" + LocalInfra.get().port(service) + path);
    }

    /** A path at the gateway, the public entry: HTTPS only. */
    static URI gateway(String path) {
        return URI.create("https://127.0.0.1:" + LocalInfra.get().port("gateway") + path);
    }

    static HttpResponse<String> get(URI uri) {
        return send(operator(uri).GET());
    }

    static HttpResponse<String> post(URI uri, String json) {
        return send(operator(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static HttpResponse<String> put(URI uri, String json) {
        return send(operator(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * A request as the suite's super administrator (an access token on /api routes, through the
     * gateway or straight to a service), or as the suite itself on a stage's /internal routes.
     */
    private static HttpRequest.Builder operator(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        boolean viaGateway = uri.getPort() == LocalInfra.get().port("gateway");
        if (!viaGateway && uri.getPath().startsWith("/internal/")) {
            // A stage's worker route, as the task manager calls it: with the internal credential.
            b.header("X-DataRsync-Internal", LocalInfra.get().value("DATARSYNC_INTERNAL_TOKEN"));
        } else if (!viaGateway && uri.getPath().equals("/actuator/prometheus")) {
            // As Prometheus scrapes: with the scrape credential.
            b.header("Authorization", "Bearer " + LocalInfra.get().value("DATARSYNC_METRICS_TOKEN"));
        } else if (viaGateway || uri.getPath().startsWith("/api/") && !uri.getPath().endsWith("/service-info")) {
            b.header("Authorization", "Bearer " + AdminSession.accessToken());
            if (!viaGateway) {
                asForwardedByTheGateway(b);
            }
        }
        return b;
    }

    /**
     * A request straight to a service's /api as the gateway forwards it: with the gateway's proof,
     * HMAC-SHA256 of "data-rsync-gateway" under the internal credential (computed here, not by
     * the product's code), without which a service refuses its /api.
     */
    static HttpRequest.Builder asForwardedByTheGateway(HttpRequest.Builder request) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(LocalInfra.get().value("DATARSYNC_INTERNAL_TOKEN")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return request.header("X-DataRsync-Gateway", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal("data-rsync-gateway".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A POST carrying XXL-Job's access-token header, as an XXL-Job admin calls an executor. */
    static HttpResponse<String> send(URI uri, String xxlJobToken, String json) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("XXL-JOB-ACCESS-TOKEN", xxlJobToken).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static HttpResponse<String> delete(URI uri) {
        return send(operator(uri).DELETE());
    }

    /**
     * Every answer the tests receive, headers and body (cut at 64 KB), kept in
     * {@code <work>/logs/test-api-answers.log} so that {@link SecretsNotLeakedIT} can search
     * them with the logs.
     */
    private static synchronized void record(HttpResponse<String> answer) {
        String body = answer.body() == null ? "" : answer.body();
        String line = answer.request().method() + " " + answer.uri() + " -> " + answer.statusCode() + " "
                + answer.headers().map() + "\n" + (body.length() > 65_536 ? body.substring(0, 65_536) : body) + "\n";
        try {
            java.nio.file.Path file = LocalInfra.get().work().resolve("logs/test-api-answers.log");
            java.nio.file.Files.writeString(file, line, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record an API answer", e);
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        return send(HTTP, request);
    }

    /**
     * Sends on a connection of its own. rnacos (actix) may close a kept-alive connection right
     * after answering, and the JDK client does not retry a POST that met a closed connection
     * ("header parser received no bytes"), so calls to Nacos do not share the pooled client.
     */
    static HttpResponse<String> sendOnNewConnection(HttpRequest.Builder request) {
        return send(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), request);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
        URI uri = built.uri();
        try {
            HttpResponse<String> answer = client.send(built, HttpResponse.BodyHandlers.ofString());
            record(answer);
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException(built.method() + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
