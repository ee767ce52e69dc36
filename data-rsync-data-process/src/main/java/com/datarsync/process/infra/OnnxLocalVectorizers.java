package com.datarsync.process.infra;

import com.datarsync.process.domain.NamedVectorizer;
import com.datarsync.process.domain.TextTokenizer;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.domain.VectorizerFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code onnx-local}: models run in-process by ONNX Runtime, in batches ({@link OnnxBertEncoder}),
 * from files that ship inside langchain4j's Maven artifacts, with no download: all-MiniLM-L6-v2
 * (English, 384 dimensions, mean pooling; also as all-minilm-l6-v2-q, its int8-quantised variant)
 * and bge-small-zh-v1.5 (Chinese, 512 dimensions, [CLS] pooling).
 *
 * <p>Options: {@code batchSize}, the texts per model call (default {@value #DEFAULT_BATCH_SIZE}).
 */
public final class OnnxLocalVectorizers implements VectorizerFactory {

    public static final int DEFAULT_BATCH_SIZE = 32;

    /**
     * @param window  the model's sequence length: 256 for all-MiniLM-L6-v2, as it was trained
     *                (sentence-transformers' max_seq_length), 512 for bge-small-zh-v1.5
     * @param version names the artifact that ships the model file, the pooling and the window,
     *                since each changes the vectors (cached vectors are keyed by it)
     */
    record Model(int dimension, String file, OnnxBertEncoder.Pooling pooling, int window, String version) {
    }

    static final Map<String, Model> MODELS = Map.of(
            "all-minilm-l6-v2", new Model(384, "all-minilm-l6-v2", OnnxBertEncoder.Pooling.MEAN, 256,
                    "langchain4j-1.20.0-beta30-mean-256"),
            // The same model with int8 weights (langchain4j's "-q" artifact): faster on a CPU, its
            // vectors within cosine 0.98 of the fp32 model's (OnnxLocalVectorizersTest).
            "all-minilm-l6-v2-q", new Model(384, "all-minilm-l6-v2-q", OnnxBertEncoder.Pooling.MEAN, 256,
                    "langchain4j-1.20.0-beta30-q-mean-256"),
            "bge-small-zh-v1.5", new Model(512, "bge-small-zh-v1.5", OnnxBertEncoder.Pooling.CLS, 512,
                    "langchain4j-1.20.0-beta30-cls-512"),
            // The Chinese model with int8 weights (langchain4j's "-q" artifact, 1.11.0-beta19: the
            // newest release of it), held to the same cosine 0.98 against the fp32 model.
            "bge-small-zh-v1.5-q", new Model(512, "bge-small-zh-v1.5-q", OnnxBertEncoder.Pooling.CLS, 512,
                    "langchain4j-1.11.0-beta19-q-cls-512"));

    /** One loaded model per name for the whole process, whatever the tasks' options. */
    private static final Map<String, OnnxBertEncoder> ENCODERS = new ConcurrentHashMap<>();

    @Override
    public String identifier() {
        return "onnx-local";
    }

    @Override
    public List<String> models() {
        return MODELS.keySet().stream().sorted().toList();
    }

    /** The process-wide encoder of a model, loaded on first use. */
    static OnnxBertEncoder encoder(String model) {
        Model spec = MODELS.get(model);
        return ENCODERS.computeIfAbsent(model, m -> new OnnxBertEncoder(spec.file() + ".onnx",
                spec.file() + "-tokenizer.json", spec.pooling(), spec.window(), Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Vectorizer create(String model, Map<String, String> options) {
        Model spec = MODELS.get(model);
        if (spec == null) {
            throw new IllegalArgumentException("'" + model + "' is not a model of onnx-local; known: " + models());
        }
        int batchSize = batchSize(options);
        OnnxBertEncoder encoder = encoder(model);
        return new NamedVectorizer(identifier(), model, spec.version()) {
            @Override
            public int dimension() {
                return spec.dimension();
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                return encoder.embed(texts, batchSize);
            }

            @Override
            public Optional<TextTokenizer> tokenizer() {
                return Optional.of(encoder);
            }
        };
    }

    private static int batchSize(Map<String, String> options) {
        String value = options.get("batchSize");
        if (value == null) {
            return DEFAULT_BATCH_SIZE;
        }
        try {
            int size = Integer.parseInt(value);
            if (size >= 1 && size <= 1024) {
                return size;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("batchSize must be a whole number from 1 to 1024, not '" + value + "'");
    }
}
