package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.testsupport.LocalInfra;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The gateway's transport (architecture document 3.7): HTTPS only, with the certificate the
 * local suite generated; plain HTTP is not answered on its port; the actuator is not on the
 * public port; a login sets no cookie (tokens travel in the Authorization header). The
 * security headers on every route are checked by {@link TokenMatrixIT}.
 */
class GatewayTransportIT extends RunningSuite {

    private final LocalInfra infra = LocalInfra.get();

    /** The headers every gateway answer carries, refusals included. */
    static void assertSecurityHeaders(HttpResponse<String> r) {
        assertThat(r.uri().getScheme()).isEqualTo("https");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).as("HSTS on %s", r.uri())
                .hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000").contains("includeSubDomains"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as("nosniff on %s", r.uri()).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).as("CSP on %s", r.uri())
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("X-Frame-Options")).as("frame options on %s", r.uri()).hasValue("DENY");
        assertThat(r.headers().firstValue("Set-Cookie")).as("cookie on %s", r.uri()).isEmpty();
    }

    @Test
    void theGatewayServesHttpsWithTheGeneratedCertificate() throws Exception {
        try (SSLSocket socket = (SSLSocket) SuiteProcesses.gatewayTrust().getSocketFactory()
                .createSocket("127.0.0.1", infra.port("gateway"))) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            try (InputStream pem = Files.newInputStream(infra.work().resolve("tls/gateway.crt"))) {
                assertThat(socket.getSession().getPeerCertificates()[0])
                        .isEqualTo(CertificateFactory.getInstance("X.509").generateCertificate(pem));
            }
        }
        HttpResponse<String> me = SuiteProcesses.get(SuiteProcesses.gateway("/api/auth/me"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertSecurityHeaders(me);

        // A client that trusts only the public CAs refuses the self-signed certificate: nothing
        // here trusts more than it should.
        HttpClient publicTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> publicTrust.send(HttpRequest.newBuilder(SuiteProcesses.gateway("/api/auth/jwks")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpIsNotAnsweredOnTheGatewayPort() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI http = URI.create("http://127.0.0.1:" + infra.port("gateway") + "/api/auth/jwks");
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void theActuatorIsOnlyOnTheLoopbackManagementPort() {
        HttpResponse<String> publicHealth = SuiteProcesses.get(SuiteProcesses.gateway("/actuator/health"));
        assertThat(publicHealth.statusCode()).isEqualTo(404);
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/actuator/prometheus")).statusCode()).isEqualTo(404);
        HttpResponse<String> management = SuiteProcesses.get(URI.create("http://127.0.0.1:"
                + SuiteProcesses.healthPort("gateway") + "/actuator/health"));
        assertThat(management.statusCode()).isEqualTo(200);
        assertThat(management.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void aLoginAnswersTokensInTheBodyAndSetsNoCookie() {
        HttpResponse<String> login = AuthClient.login(SuiteProcesses.gateway("/"), "admin", AuthClient.adminPassword());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(AuthClient.read(login.body()).path("accessToken").asText()).isNotBlank();
        assertSecurityHeaders(login);
    }
}
