package com.datarsync.common.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.security.InternalCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Calls from one service to another's {@code /internal/**} routes: they carry the suite's
 * internal credential, and the callee's refusal comes back as the {@link DataRsyncException} it
 * answered with (same code, message and details), so the caller can pass it on unchanged. A
 * callee that does not answer is {@link ErrorCode#SERVICE_UNAVAILABLE}, which the task
 * supervisor treats as retriable.
 */
public final class InternalCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InternalCalls() {
    }

    /** One call; its failures are mapped as the class comment says. */
    public interface Call<T> {
        T run();
    }

    /**
     * A client for {@code http://<service id>/internal/...} addresses: the service's instances
     * are found in the registry (round robin), and every request carries the internal credential.
     */
    public static RestClient balanced(LoadBalancerClient loadBalancer, String internalToken, Duration connectTimeout,
            Duration readTimeout) {
        return builder(internalToken, connectTimeout, readTimeout)
                .requestInterceptor(new LoadBalancerInterceptor(loadBalancer)).build();
    }

    /** A client for calls to explicit instance addresses, carrying the internal credential. */
    public static RestClient.Builder builder(String internalToken, Duration connectTimeout, Duration readTimeout) {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(connectTimeout).build());
        factory.setReadTimeout(readTimeout);
        return RestClient.builder().requestFactory(factory).defaultHeader(InternalCredential.HEADER, internalToken);
    }

    /**
     * Runs a call to {@code callee}; {@code what} completes "did not ..." in the message when it
     * cannot be made, and {@code details} are added to every error's details.
     */
    public static <T> T call(String callee, Map<String, Object> details, String what, Call<T> call) {
        try {
            return call.run();
        } catch (RestClientResponseException e) {
            throw refusal(callee, details, e.getStatusCode(), e.getResponseBodyAsString());
        } catch (ResourceAccessException e) {
            throw new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, callee + " did not " + what + ": "
                    + e.getMostSpecificCause().getMessage(), details, null);
        } catch (IllegalStateException e) {
            // The load balancer's "No instances available for <service>".
            throw new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, callee + " did not " + what
                    + ": no instance is registered", details, null);
        }
    }

    /** The callee's own error (code, message, details) when it answered with an ApiError body. */
    static DataRsyncException refusal(String callee, Map<String, Object> extra, HttpStatusCode status, String body) {
        try {
            JsonNode error = JSON.readTree(body);
            String code = error.path("code").asText();
            ErrorCode known = Arrays.stream(ErrorCode.values()).filter(c -> c.code().equals(code)).findFirst()
                    .orElse(ErrorCode.BAD_GATEWAY);
            Map<String, Object> details = new HashMap<>();
            if (error.has("details")) {
                details.putAll(JSON.convertValue(error.get("details"), Map.class));
            }
            details.putAll(extra);
            return new DataRsyncException(known, error.path("message").asText(known.defaultMessage()), details, null);
        } catch (Exception notJson) {
            return new DataRsyncException(ErrorCode.BAD_GATEWAY, callee + " answered " + status.value(), extra, null);
        }
    }
}
