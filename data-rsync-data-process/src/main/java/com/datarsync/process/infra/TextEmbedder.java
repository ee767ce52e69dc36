package com.datarsync.process.infra;

import java.util.List;

/**
 * Turns texts into vectors, a batch at a time. The full provider SPI (remote APIs, numeric
 * features) builds on this shape; today the local ONNX model implements it.
 */
public interface TextEmbedder {

    /** Identifies the model and its version, part of the vector-cache key. */
    String modelId();

    int dimension();

    /** One vector per text, in the same order. */
    List<float[]> embed(List<String> texts);
}
