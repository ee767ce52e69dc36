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
 * The ceiling of the model stage: ONNX Runtime alone running all-MiniLM-L6-v2 from the same
 * jar, on the same texts, with the same batch size, window and threads as data-process. Texts
 * are tokenized before the clock starts; only tensor creation and {@code session.run} are timed,
 * so nothing but the runtime's own work is measured. Written against ONNX Runtime and the
 * tokenizer directly, not data-process's encoder, so it is an independent reference.
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
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream model = resource("all-minilm-l6-v2.onnx");
                InputStream vocabulary = resource("all-minilm-l6-v2-tokenizer.json")) {
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(model.readAllBytes(), options);
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

    private void run(List<long[]> batch) throws Exception {
        int length = batch.stream().mapToInt(p -> p.length).max().orElseThrow();
        long[] ids = new long[batch.size() * length];
        long[] mask = new long[ids.length];
        for (int r = 0; r < batch.size(); r++) {
            System.arraycopy(batch.get(r), 0, ids, r * length, batch.get(r).length);
            Arrays.fill(mask, r * length, r * length + batch.get(r).length, 1L);
        }
        long[] shape = {batch.size(), length};
        try (OnnxTensor i = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor m = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor t = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(Map.of("input_ids", i, "attention_mask", m));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", t);
            }
            session.run(inputs).close();
        }
    }

    @Override
    public void close() throws Exception {
        session.close();
        tokenizer.close();
    }
}
