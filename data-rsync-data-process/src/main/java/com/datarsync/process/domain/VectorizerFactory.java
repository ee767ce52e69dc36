package com.datarsync.process.domain;

import java.util.List;

/**
 * A vectorizer provider, discovered through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/com.datarsync.process.domain.VectorizerFactory}) and chosen by its
 * identifier in the task definition's {@code embedding.provider}.
 */
public interface VectorizerFactory {

    String identifier();

    /** The models this provider can serve, by the name a task definition uses. */
    List<String> models();

    /** A vectorizer for one of {@link #models()}; may load the model, so callers keep it. */
    Vectorizer create(String model);
}
