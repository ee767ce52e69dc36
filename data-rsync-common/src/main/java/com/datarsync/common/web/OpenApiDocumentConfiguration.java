package com.datarsync.common.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import com.datarsync.common.security.RoutePermissions;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpMethod;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The parts every service's OpenAPI document shares (where the service serves one, through
 * springdoc): the title, the gateway as the one server (relative: the document is read through
 * it), and the bearer access token every route but login, refresh and the public keys wants
 * (docs/security.md says which permission each needs).
 */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class OpenApiDocumentConfiguration {

    @Bean
    OpenAPI dataRsyncOpenApi(@Value("${spring.application.name}") String service,
                             @Value("${datarsync.service.version:dev}") String version) {
        return new OpenAPI()
                .info(new Info().title(service).version(version)
                        .description("Data Rsync " + service + ": routes under its prefix, through the gateway. "
                                + "Errors answer {code, message, path, timestamp, details} (docs/api.md)."))
                .addServersItem(new Server().url("/").description("the gateway"))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /**
     * Each operation says what the route table asks of it (x-permission, and in its description);
     * the public ones need no token.
     */
    @Bean
    OpenApiCustomizer routePermissionsInOpenApi() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                String concrete = path.replaceAll("\\{[^}]+}", "1");
                RoutePermissions.ruleFor(HttpMethod.valueOf(method.name()), concrete).ifPresent(rule -> {
                    operation.addExtension("x-permission", rule.permission().isEmpty() ? "none" : rule.permission());
                    if (RoutePermissions.PUBLIC.equals(rule.permission())) {
                        operation.setSecurity(List.of());
                    } else {
                        String needs = RoutePermissions.AUTHENTICATED.equals(rule.permission()) ? "a login"
                                : "the permission " + rule.permission();
                        operation.setDescription((operation.getDescription() == null ? ""
                                : operation.getDescription() + " ") + "Needs " + needs + ".");
                    }
                });
            }));
        };
    }
}
