package com.datarsync.deploy.suite;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 run by ONNX Runtime alone, from the same jar data-process reads, written
 * against ONNX Runtime and the tokenizer directly (not data-process's encoder), so it is an
 * independent reference. Two uses: the ceiling of the model stage in the benchmarks (same
 * texts, batch size, window and threads as data-process; texts are tokenized before the clock
 * starts, only tensor creation and {@code session.run} are timed), and the expected vector of a
 * text in the end-to-end comparisons ({@link #embed}: the model card's recipe, mean pooling
 * over real tokens then L2 normalisation).
 */
final class RawOnnxRuntime implements AutoCloseable {

    /** all-MiniLM-L6-v2's window less [CLS] and [SEP], as data-process uses it. */
    private static final int TOKENS_PER_PART = 254;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final long cls;
    private final long sep;

    RawOnnxRuntime() throws Exception {
        this("all-minilm-l6-v2");
    }

    /** @param model the model's file name in its langchain4j artifact, e.g. all-minilm-l6-v2-q (int8) */
    RawOnnxRuntime(String model) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream weights = resource(model + ".onnx");
                InputStream vocabulary = resource(model + "-tokenizer.json")) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(weights.readAllBytes(), options);
            tokenizer = HuggingFaceTokenizer.newInstance(vocabulary, Map.of("padding", "false", "truncation", "false"));
        }
        long[] special = tokenizer.encode("", true, false).getIds();
        cls = special[0];
        sep = special[special.length - 1];
    }

    private static InputStream resource(String name) {
        return RawOnnxRuntime.class.getClassLoader().getResourceAsStream(name);
    }

    /** Mean tokens per text, [CLS] and [SEP] not counted. */
    double meanTokens(List<String> texts) {
        return texts.stream().mapToInt(t -> tokenizer.encode(t, false, false).getIds().length).average().orElse(0);
    }

    /** Texts per second through {@code session.run}, in batches of {@code batchSize} parts sorted by length. */
    double textsPerSecond(List<String> texts, int batchSize) throws Exception {
        List<long[]> parts = new ArrayList<>();
        for (String text : texts) {
            long[] ids = tokenizer.encode(text, false, false).getIds();
            for (int from = 0; from == 0 || from < ids.length; from += TOKENS_PER_PART) {
                int to = Math.min(from + TOKENS_PER_PART, ids.length);
                long[] part = new long[to - from + 2];
                part[0] = cls;
                System.arraycopy(ids, from, part, 1, to - from);
                part[part.length - 1] = sep;
                parts.add(part);
            }
        }
        parts.sort(Comparator.comparingInt(p -> p.length));
        run(parts.subList(0, Math.min(batchSize, parts.size())));   // warm-up
        long started = System.nanoTime();
        for (int from = 0; from < parts.size(); from += batchSize) {
            run(parts.subList(from, Math.min(from + batchSize, parts.size())));
        }
        return texts.size() / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * The sentence vector of a text that fits one window (254 tokens): data-process splits longer
     * texts at word boundaries, a rule this reference does not repeat, so it refuses them.
     */
    synchronized float[] embed(String text) throws Exception {
        long[] ids = tokenizer.encode(text, true, false).getIds();
        if (ids.length > TOKENS_PER_PART + 2) {
            throw new IllegalArgumentException("the reference embeds texts of one window only: " + ids.length + " tokens");
        }
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        try (OrtSession.Result result = infer(ids, mask, new long[] {1, ids.length})) {
            float[][] tokens = ((float[][][]) result.get(0).getValue())[0];
            float[] mean = new float[tokens[0].length];
            for (float[] token : tokens) {
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += token[d] / tokens.length;
                }
            }
            double norm = 0;
            for (float v : mean) {
                norm += v * v;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < mean.length; d++) {
                mean[d] *= scale;
            }
            return mean;
        }
    }

    /** Cosine similarity of two vectors. */
    static double cosine(float[] a, float[] b) {
        List<Float> other = new java.util.ArrayList<>(b.length);
        for (float v : b) {
            other.add(v);
        }
        return cosine(a, other);
    }

    static double cosine(float[] a, List<?> b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int d = 0; d < a.length; d++) {
            double y = ((Number) b.get(d)).doubleValue();
            dot += a[d] * y;
            na += a[d] * a[d];
            nb += y * y;
        }
        return dot / Math.sqrt(na * nb);
    }

    private void run(List<long[]> batch) throws Exception {
        int length = batch.stream().mapToInt(p -> p.length).max().orElseThrow();
        long[] ids = new long[batch.size() * length];
        long[] mask = new long[ids.length];
        for (int r = 0; r < batch.size(); r++) {
            System.arraycopy(batch.get(r), 0, ids, r * length, batch.get(r).length);
            Arrays.fill(mask, r * length, r * length + batch.get(r).length, 1L);
        }
        infer(ids, mask, new long[] {batch.size(), length}).close();
    }

    /** One model call on token ids and their attention mask; the caller closes the result. */
    private OrtSession.Result infer(long[] ids, long[] mask, long[] shape) throws Exception {
        try (OnnxTensor i = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor m = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor t = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(Map.of("input_ids", i, "attention_mask", m));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", t);
            }
            return session.run(inputs);
        }
    }

    @Override
    public void close() throws Exception {
        session.close();
        tokenizer.close();
    }
}
