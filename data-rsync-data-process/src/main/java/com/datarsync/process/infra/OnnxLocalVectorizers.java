package com.datarsync.process.infra;

import com.datarsync.process.domain.NamedVectorizer;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.domain.VectorizerFactory;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15.BgeSmallZhV15EmbeddingModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * {@code onnx-local}: models run in-process by ONNX Runtime from files that ship inside
 * langchain4j's Maven artifacts, with no download: all-MiniLM-L6-v2 (English, 384 dimensions)
 * and bge-small-zh-v1.5 (Chinese, 512 dimensions).
 */
public final class OnnxLocalVectorizers implements VectorizerFactory {

    /** name -> (dimension, constructor); the version names the artifact that ships the model file. */
    private record Model(int dimension, String version, Function<ExecutorService, EmbeddingModel> load) {
    }

    private static final Map<String, Model> MODELS = Map.of(
            "all-minilm-l6-v2", new Model(384, "langchain4j-1.20.0-beta30", AllMiniLmL6V2EmbeddingModel::new),
            "bge-small-zh-v1.5", new Model(512, "langchain4j-1.20.0-beta30", BgeSmallZhV15EmbeddingModel::new));

    /**
     * One inference thread per core for all models: each text runs as one ONNX Runtime call on
     * this pool, so more threads would only oversubscribe a small machine.
     */
    private static final ExecutorService INFERENCE = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), r -> {
                Thread t = new Thread(r, "onnx-inference");
                t.setDaemon(true);
                return t;
            });

    @Override
    public String identifier() {
        return "onnx-local";
    }

    @Override
    public List<String> models() {
        return MODELS.keySet().stream().sorted().toList();
    }

    @Override
    public Vectorizer create(String model, Map<String, String> options) {
        Model spec = MODELS.get(model);
        if (spec == null) {
            throw new IllegalArgumentException("'" + model + "' is not a model of onnx-local; known: " + models());
        }
        EmbeddingModel loaded = spec.load().apply(INFERENCE);
        return new NamedVectorizer(identifier(), model, spec.version()) {
            @Override
            public int dimension() {
                return spec.dimension();
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                List<Embedding> vectors = loaded.embedAll(texts.stream().map(TextSegment::from).toList()).content();
                if (vectors.size() != texts.size()) {
                    throw new IllegalStateException(model + " returned " + vectors.size() + " vectors for "
                            + texts.size() + " texts");
                }
                return vectors.stream().map(Embedding::vector).toList();
            }
        };
    }
}
