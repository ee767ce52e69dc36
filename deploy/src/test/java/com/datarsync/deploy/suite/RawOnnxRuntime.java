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
 * texts, batch size, window and threads as data-process, from text to normalised vector), and the expected vector of a
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

    /**
     * Texts per second from text to sentence vector, like for like with data-process: tokenizing,
     * windows of 254 tokens, batches of {@code batchSize} parts sorted by length,
     * {@code session.run}, mean pooling over each part's real tokens, the parts of a text averaged
     * by their token counts, L2 normalisation. Only the model load and one warm-up call are
     * outside the clock.
     */
    double textsPerSecond(List<String> texts, int batchSize) throws Exception {
        embedAll(texts.subList(0, Math.min(batchSize, texts.size())), batchSize);   // warm-up
        long started = System.nanoTime();
        List<float[]> vectors = embedAll(texts, batchSize);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (vectors.size() != texts.size()) {
            throw new IllegalStateException("embedded " + vectors.size() + " of " + texts.size() + " texts");
        }
        return texts.size() / seconds;
    }

    /** A window of one text: its token ids with [CLS] and [SEP], and which text it belongs to. */
    private record Part(int text, long[] ids) {
    }

    private List<float[]> embedAll(List<String> texts, int batchSize) throws Exception {
        List<Part> parts = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            ai.djl.huggingface.tokenizers.Encoding encoding = tokenizer.encode(texts.get(t), false, false);
            long[] ids = encoding.getIds();
            String[] pieces = encoding.getTokens();
            for (int from = 0, to; from == 0 || from < ids.length; from = to) {
                to = Math.min(from + TOKENS_PER_PART, ids.length);
                // The documented rule: a part never starts inside a word (a "##" word piece).
                while (to < ids.length && to > from + 1 && pieces[to].startsWith("##")) {
                    to--;
                }
                long[] part = new long[to - from + 2];
                part[0] = cls;
                System.arraycopy(ids, from, part, 1, to - from);
                part[part.length - 1] = sep;
                parts.add(new Part(t, part));
            }
        }
        parts.sort(Comparator.comparingInt(p -> p.ids().length));
        float[][] sums = new float[texts.size()][];
        for (int from = 0; from < parts.size(); from += batchSize) {
            List<Part> batch = parts.subList(from, Math.min(from + batchSize, parts.size()));
            float[][][] hidden = run(batch.stream().map(Part::ids).toList());
            for (int r = 0; r < batch.size(); r++) {
                int real = batch.get(r).ids().length;
                float[] sum = sums[batch.get(r).text()];
                if (sum == null) {
                    sum = sums[batch.get(r).text()] = new float[hidden[r][0].length];
                }
                // Mean over the part's real tokens, weighted by its tokens (less [CLS] and [SEP], at least 1).
                float weight = (float) Math.max(1, real - 2) / real;
                for (int token = 0; token < real; token++) {
                    for (int d = 0; d < sum.length; d++) {
                        sum[d] += hidden[r][token][d] * weight;
                    }
                }
            }
        }
        List<float[]> out = new ArrayList<>(sums.length);
        for (float[] sum : sums) {
            double norm = 0;
            for (float v : sum) {
                norm += v * v;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < sum.length; d++) {
                sum[d] *= scale;
            }
            out.add(sum);
        }
        return out;
    }

    /**
     * The sentence vector of a text: a longer text than one window (254 tokens) is cut into parts
     * of at most 254 tokens, each part ending at a word's edge (never before a "##" piece), whose
     * pooled vectors are averaged by their token counts, as docs/data-path.md describes it.
     */
    synchronized float[] embed(String text) throws Exception {
        return embed(List.of(text)).get(0);
    }

    /** The vectors of several texts, in batches of 32 (as {@link #embed(String)} each). */
    synchronized List<float[]> embed(List<String> texts) throws Exception {
        return embedAll(texts, 32);
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

    /** One model call on a padded batch; the hidden states of every token of every row. */
    private float[][][] run(List<long[]> batch) throws Exception {
        int length = batch.stream().mapToInt(p -> p.length).max().orElseThrow();
        long[] ids = new long[batch.size() * length];
        long[] mask = new long[ids.length];
        for (int r = 0; r < batch.size(); r++) {
            System.arraycopy(batch.get(r), 0, ids, r * length, batch.get(r).length);
            Arrays.fill(mask, r * length, r * length + batch.get(r).length, 1L);
        }
        try (OrtSession.Result result = infer(ids, mask, new long[] {batch.size(), length})) {
            return (float[][][]) result.get(0).getValue();
        }
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
