package com.datarsync.gateway.web;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The web console (module data-rsync-console, its build in this jar's {@code static/}) at
 * {@code /}: {@code index.html} is asked again on every visit ({@code no-cache}), so a new
 * release shows at once; the files under {@code /assets/} carry a content hash in their names
 * and are kept by browsers for a year. Nothing else of the class path is served (Spring Boot's
 * default static mappings are off: {@code spring.web.resources.add-mappings=false}).
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleRoutes implements WebFluxConfigurer {

    private static final Resource INDEX = new ClassPathResource("static/index.html");

    @Bean
    RouterFunction<ServerResponse> consoleIndex() {
        return RouterFunctions.route()
                .GET("/", request -> page())
                .GET("/index.html", request -> page())
                .build();
    }

    private static reactor.core.publisher.Mono<ServerResponse> page() {
        if (!INDEX.exists()) {
            // A gateway built without the console (its module skipped): nothing to serve.
            return ServerResponse.notFound().build();
        }
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                .bodyValue(INDEX);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**").addResourceLocations("classpath:/static/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}
