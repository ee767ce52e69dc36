package com.datarsync.process.domain;

import com.datarsync.common.net.OutboundAddressPolicy;
import java.util.List;
import java.util.Map;

/**
 * A vectorizer provider, discovered through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/com.datarsync.process.domain.VectorizerFactory}) and chosen by its
 * identifier in the task definition's {@code embedding.provider}.
 */
public interface VectorizerFactory {

    String identifier();

    /** The models this provider can serve, by the name a task definition uses; empty when any name goes. */
    List<String> models();

    default boolean serves(String model) {
        return models().isEmpty() ? model != null && !model.isBlank() : models().contains(model);
    }

    /**
     * A vectorizer for a model this provider serves, set up with the task's
     * {@code embedding.options}; may load the model, so callers keep it. Throws
     * {@link IllegalArgumentException} naming the option that is missing or wrong.
     */
    Vectorizer create(String model, Map<String, String> options);

    /** Where a provider that calls a URL from the task may connect; providers that call nothing ignore it. */
    default void restrictCallsTo(OutboundAddressPolicy policy) {
    }
}
