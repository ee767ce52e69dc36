package com.datarsync.process.infra;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.datarsync.process.domain.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A BERT-style sentence encoder run directly on ONNX Runtime, many texts per model call.
 *
 * <p>langchain4j's in-process models (whose model and tokenizer files this reads from their
 * jars) run one session call per text. Here a call takes a whole batch: texts are tokenized,
 * sorted by length so each batch pads little, and padded with an attention mask; pooling
 * (mean over real tokens, or the [CLS] token) and L2 normalisation follow the model's recipe.
 * A text longer than the model's window is split at word boundaries into parts whose pooled
 * vectors are averaged, weighted by their token counts, as langchain4j does (langchain4j also
 * truncates each part to the tokenizer file's 128 tokens for all-MiniLM-L6-v2; this class
 * does not, so such long texts get different, fuller vectors here).
 *
 * <p>Threads: every call uses one intra-op thread per core, and calls run one at a time across
 * all models ({@link #INFERENCE}), so a small machine is never oversubscribed.
 */
public final class OnnxBertEncoder implements TextTokenizer, AutoCloseable {

    public enum Pooling { MEAN, CLS }

    /** One model call at a time in this process: each call already uses every core. */
    private static final ReentrantLock INFERENCE = new ReentrantLock();

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Pooling pooling;
    private final int maxTokens;
    private final boolean typeIds;
    /** The model's first output, the last hidden states: the only one read. */
    private final Set<String> hiddenStates;
    private final long clsId;
    private final long sepId;

    /**
     * @param modelResource     class-path resource of the .onnx file
     * @param tokenizerResource class-path resource of the tokenizer.json file
     * @param window            the most tokens one part of a text may have, [CLS] and [SEP] included
     * @param threads           intra-op threads per call
     */
    public OnnxBertEncoder(String modelResource, String tokenizerResource, Pooling pooling, int window, int threads) {
        this.pooling = pooling;
        this.maxTokens = window - 2;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Idle intra-op threads sleep instead of spinning: the other stages share these cores,
            // and CPU burnt spinning between operators is taken from them (and they from the model).
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = environment.createSession(read(modelResource), options);
            this.typeIds = session.getInputNames().contains("token_type_ids");
            this.hiddenStates = Set.of(session.getOutputNames().iterator().next());
            // The files' own padding and truncation settings are for other uses; this class does both.
            try (InputStream in = resource(tokenizerResource)) {
                this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "false"));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + modelResource + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] special = tokenizer.encode("", true, false).getIds();
        this.clsId = special[0];
        this.sepId = special[special.length - 1];
    }

    private static InputStream resource(String name) {
        InputStream in = OnnxBertEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path");
        }
        return in;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    @Override
    public List<TokenSpan> tokenize(String text) {
        CharSpan[] spans = tokenizer.encode(text, false, false).getCharTokenSpans();
        // The tokenizer counts code points; Java strings are indexed in UTF-16 units.
        int[] utf16 = new int[text.codePointCount(0, text.length()) + 1];
        for (int cp = 0, index = 0; cp < utf16.length; cp++) {
            utf16[cp] = index;
            if (index < text.length()) {
                index += Character.charCount(text.codePointAt(index));
            }
        }
        List<TokenSpan> out = new ArrayList<>(spans.length);
        for (CharSpan span : spans) {
            if (span != null) {
                out.add(new TokenSpan(utf16[span.getStart()], utf16[span.getEnd()]));
            }
        }
        return out;
    }

    /** The model's input for one text or one part of a long text. */
    private record Segment(int text, long[] ids, int weight) {
    }

    /** One L2-normalised vector per text, in order; the model runs {@code batchSize} segments per call. */
    public List<float[]> embed(List<String> texts, int batchSize) {
        List<Segment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            segments.addAll(segments(i, texts.get(i)));
        }
        // Similar lengths together: a batch is padded to its longest segment.
        List<Segment> byLength = new ArrayList<>(segments);
        byLength.sort(Comparator.comparingInt(s -> s.ids().length));
        Map<Segment, float[]> pooled = new IdentityHashMap<>();
        for (int from = 0; from < byLength.size(); from += batchSize) {
            List<Segment> batch = byLength.subList(from, Math.min(from + batchSize, byLength.size()));
            float[][] vectors = run(batch);
            for (int i = 0; i < batch.size(); i++) {
                pooled.put(batch.get(i), vectors[i]);
            }
        }
        float[][] sums = new float[texts.size()][];
        for (Segment s : segments) {
            float[] v = pooled.get(s);
            if (sums[s.text()] == null) {
                sums[s.text()] = new float[v.length];
            }
            for (int d = 0; d < v.length; d++) {
                sums[s.text()][d] += v[d] * s.weight();
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (float[] sum : sums) {
            out.add(normalize(sum));
        }
        return out;
    }

    /** The text's token ids in parts that fit the window, never splitting a word's pieces. */
    private List<Segment> segments(int index, String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        String[] tokens = encoding.getTokens();
        List<Segment> out = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(start + maxTokens, ids.length);
            while (end < ids.length && end > start + 1 && tokens[end].startsWith("##")) {
                end--;
            }
            long[] withSpecial = new long[end - start + 2];
            withSpecial[0] = clsId;
            System.arraycopy(ids, start, withSpecial, 1, end - start);
            withSpecial[withSpecial.length - 1] = sepId;
            out.add(new Segment(index, withSpecial, Math.max(1, end - start)));
            start = end;
        } while (start < ids.length);
        return out;
    }

    /** One model call: the batch padded to its longest segment; answers the pooled vectors. */
    private float[][] run(List<Segment> batch) {
        int rows = batch.size();
        int length = batch.stream().mapToInt(s -> s.ids().length).max().orElse(0);
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            long[] segment = batch.get(r).ids();
            System.arraycopy(segment, 0, ids, r * length, segment.length);
            Arrays.fill(mask, r * length, r * length + segment.length, 1L);
        }
        long[] shape = {rows, length};
        INFERENCE.lock();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * length]),
                        shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", idTensor);
            inputs.put("attention_mask", maskTensor);
            if (typeIds) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs, hiddenStates)) {
                // One flat copy of [rows, length, dimension]; rows are pooled from it in place.
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                int dimension = (int) hidden.getInfo().getShape()[2];
                FloatBuffer values = hidden.getFloatBuffer();
                float[][] out = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    out[r] = pool(values, r * length * dimension, batch.get(r).ids().length, dimension);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + rows + ": " + e.getMessage(), e);
        } finally {
            INFERENCE.unlock();
        }
    }

    /** Pools one row's hidden states (from {@code offset} in the batch's values) over its real tokens. */
    private float[] pool(FloatBuffer values, int offset, int realTokens, int dimension) {
        float[] out = new float[dimension];
        if (pooling == Pooling.CLS) {
            values.get(offset, out);
            return out;
        }
        for (int t = 0, at = offset; t < realTokens; t++, at += dimension) {
            for (int d = 0; d < dimension; d++) {
                out[d] += values.get(at + d);
            }
        }
        for (int d = 0; d < dimension; d++) {
            out[d] /= realTokens;
        }
        return out;
    }

    private static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= scale;
        }
        return v;
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
