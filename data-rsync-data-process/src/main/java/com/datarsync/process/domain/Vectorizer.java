package com.datarsync.process.domain;

import java.util.List;
import java.util.Optional;

/**
 * Turns texts into vectors, a batch at a time. One instance serves one model; it is shared by
 * every task that uses that model and must be thread-safe.
 */
public interface Vectorizer {

    /** The provider's identifier, for example {@code onnx-local}. */
    String provider();

    String modelName();

    /** Changes whenever the same text could yield another vector (a new model file or pooling). */
    String modelVersion();

    int dimension();

    /** One vector per text, in the same order. */
    List<float[]> embed(List<String> texts);

    /** Tokens the provider reported as used so far (remote APIs); 0 where nothing is reported. */
    default long tokensUsed() {
        return 0;
    }

    /** The model's own tokenizer, for chunking by tokens; empty when the provider has none here. */
    default Optional<TextTokenizer> tokenizer() {
        return Optional.empty();
    }

    /**
     * Whether the vector cache (Redis) is worth asking: not for a vector computed in less time
     * than a round trip to Redis takes (numeric features).
     */
    default boolean cacheable() {
        return true;
    }

    /** {@code provider:model:version}: what a cached vector is keyed by, besides its text. */
    default String modelId() {
        return provider() + ":" + modelName() + ":" + modelVersion();
    }
}
