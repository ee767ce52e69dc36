package com.datarsync.monitor.infra;

import com.datarsync.common.security.InternalCredential;
import com.datarsync.common.web.InternalCalls;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Whom an alert to a role reaches, as auth knows it (its internal route): the enabled users of
 * the role with their e-mail address and phone number, asked at each message so a user added to
 * or taken from a role is reached, or not, from the next one.
 */
@Component
public class RoleContacts {

    private static final String AUTH = "data-rsync-auth";

    private final RestClient http;

    public RoleContacts(LoadBalancerClient loadBalancer, @Value("${" + InternalCredential.PROPERTY + ":}") String token) {
        this.http = InternalCalls.balanced(loadBalancer, token, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /** A user of the role; either address may be null. */
    public record Contact(String username, String email, String phone) {
    }

    /** 404 DRS-4040 for an unknown role, 503 when auth cannot answer. */
    public List<Contact> of(String role) {
        Contact[] contacts = InternalCalls.call(AUTH, Map.of("role", role), "say who holds the role",
                () -> http.get().uri("http://" + AUTH + "/internal/roles/{code}/contacts", role).retrieve()
                        .body(Contact[].class));
        return contacts == null ? List.of() : Arrays.asList(contacts);
    }
}
