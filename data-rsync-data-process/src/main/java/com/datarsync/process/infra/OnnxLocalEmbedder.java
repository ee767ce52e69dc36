package com.datarsync.process.infra;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * all-MiniLM-L6-v2 (384 dimensions, English) run in-process by ONNX Runtime from the model that
 * ships inside langchain4j's Maven artifact: no download, no network.
 */
public final class OnnxLocalEmbedder implements TextEmbedder {

    public static final String MODEL = "all-minilm-l6-v2";

    private final AllMiniLmL6V2EmbeddingModel model;

    public OnnxLocalEmbedder(Executor executor) {
        this.model = new AllMiniLmL6V2EmbeddingModel(executor);
    }

    @Override
    public String modelId() {
        return "onnx-local:" + MODEL + ":1";
    }

    @Override
    public int dimension() {
        return 384;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> vectors = model.embedAll(segments).content();
        if (vectors.size() != texts.size()) {
            throw new IllegalStateException("the model returned " + vectors.size() + " vectors for " + texts.size()
                    + " texts");
        }
        return vectors.stream().map(Embedding::vector).toList();
    }
}
