package com.datarsync.process.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.service.VectorizerRegistry;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.process.domain.TextChunker;
import com.datarsync.process.domain.TextTokenizer;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15.BgeSmallZhV15EmbeddingModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real local models, loaded from their Maven artifacts, rank sentences as a person would. */
class OnnxLocalVectorizersTest {

    private static final VectorizerRegistry REGISTRY = new VectorizerRegistry();

    private static final List<String> ENGLISH = List.of(
            "The cat sleeps on the warm windowsill.",
            "Stock markets fell sharply after the interest rate decision.",
            "The recipe needs two eggs and a cup of flour.",
            "The goalkeeper saved a penalty in the final minute of the match.");

    private static final List<String> CHINESE = List.of(
            "今天天气晴朗，适合去公园散步。",
            "央行宣布下调存款准备金率，股市应声上涨。",
            "这道菜需要两个鸡蛋和一杯面粉。",
            "守门员在比赛最后一分钟扑出了点球。");

    @Test
    void englishModelFindsTheSentenceAPersonWouldPick() {
        Vectorizer model = REGISTRY.get("onnx-local", "all-minilm-l6-v2");

        assertThat(model.dimension()).isEqualTo(384);
        assertThat(nearest(model, ENGLISH, "Where is the kitten napping?")).isEqualTo(ENGLISH.get(0));
        assertThat(nearest(model, ENGLISH, "How did the football game end?")).isEqualTo(ENGLISH.get(3));
        assertThat(nearest(model, ENGLISH, "What do I need to bake a cake?")).isEqualTo(ENGLISH.get(2));
    }

    @Test
    void chineseModelFindsTheSentenceAPersonWouldPick() {
        Vectorizer model = REGISTRY.get("onnx-local", "bge-small-zh-v1.5");

        assertThat(model.dimension()).isEqualTo(512);
        assertThat(nearest(model, CHINESE, "货币政策和金融市场的新闻")).isEqualTo(CHINESE.get(1));
        assertThat(nearest(model, CHINESE, "足球比赛的结果如何？")).isEqualTo(CHINESE.get(3));
        assertThat(nearest(model, CHINESE, "周末出门游玩的好天气")).isEqualTo(CHINESE.get(0));
    }

    @Test
    void theInt8ModelsVectorsStayWithinCosine098OfTheFp32Models() {
        Vectorizer fp32 = REGISTRY.get("onnx-local", "all-minilm-l6-v2");
        Vectorizer int8 = REGISTRY.get("onnx-local", "all-minilm-l6-v2-q");
        assertThat(int8.dimension()).isEqualTo(fp32.dimension());
        // A fixed set: the ranking sentences, their questions, short and long texts, odd input.
        List<String> texts = new ArrayList<>(ENGLISH);
        texts.addAll(List.of("Where is the kitten napping?", "How did the football game end?",
                "What do I need to bake a cake?", "short", "Milvus", "42", "SELECT * FROM orders WHERE id = 7;",
                "Change data capture reads the binary log and streams every committed row change to Kafka, where a "
                        + "processor turns the text into vectors and a writer upserts them into the collection.",
                String.join(" ", Collections.nCopies(60, "vectors stay in step with the source table"))));
        assertWithinCosine098("all-minilm-l6-v2", fp32, int8, texts);
        // Quantised weights still rank as a person would.
        assertThat(nearest(int8, ENGLISH, "Where is the kitten napping?")).isEqualTo(ENGLISH.get(0));
        assertThat(nearest(int8, ENGLISH, "What do I need to bake a cake?")).isEqualTo(ENGLISH.get(2));
    }

    @Test
    void theInt8ChineseModelsVectorsStayWithinCosine098OfTheFp32Models() {
        Vectorizer fp32 = REGISTRY.get("onnx-local", "bge-small-zh-v1.5");
        Vectorizer int8 = REGISTRY.get("onnx-local", "bge-small-zh-v1.5-q");
        assertThat(int8.dimension()).isEqualTo(fp32.dimension());
        List<String> texts = new ArrayList<>(CHINESE);
        texts.addAll(List.of("足球比赛的结果如何？", "周末出门游玩的好天气", "短", "向量数据库", "42",
                "SELECT * FROM orders WHERE id = 7;", "Milvus 与 MySQL 的数据保持同步",
                "变更数据捕获读取二进制日志，把每一行已提交的变更发送到 Kafka，处理器把文本变成向量，写入器再把它们写入集合。",
                String.join("，", Collections.nCopies(80, "向量与源表保持一致"))));
        assertWithinCosine098("bge-small-zh-v1.5", fp32, int8, texts);
        assertThat(nearest(int8, CHINESE, "足球比赛的结果如何？")).isEqualTo(CHINESE.get(3));
        assertThat(nearest(int8, CHINESE, "周末出门游玩的好天气")).isEqualTo(CHINESE.get(0));
    }

    /** Each text's int8 vector within cosine 0.98 of its fp32 vector; prints the lowest. */
    private static void assertWithinCosine098(String model, Vectorizer fp32, Vectorizer int8, List<String> texts) {
        List<float[]> reference = fp32.embed(texts);
        List<float[]> quantised = int8.embed(texts);
        double lowest = 1;
        for (int i = 0; i < texts.size(); i++) {
            double cosine = cosine(reference.get(i), quantised.get(i));
            lowest = Math.min(lowest, cosine);
            assertThat(cosine).as("cosine of the int8 and fp32 vectors of '%s'", texts.get(i)).isGreaterThanOrEqualTo(0.98);
        }
        System.out.printf("%s-q against %s on %d texts: lowest cosine %.4f%n", model, model, texts.size(), lowest);
    }

    @Test
    void unknownProvidersAndModelsAreRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> REGISTRY.get("nope", "x")).isInstanceOf(DataRsyncException.class)
                .hasMessage("embedding.provider: 'nope' is not a known provider; known: [numeric, onnx-local, openai, zhipu]");
        assertThatThrownBy(() -> REGISTRY.get("onnx-local", "gpt")).isInstanceOf(DataRsyncException.class)
                .hasMessage("embedding.model: 'gpt' is not a model of onnx-local; known: "
                        + "[all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-zh-v1.5, bge-small-zh-v1.5-q]");
    }

    @Test
    void batchedInferenceMatchesLangchain4jOneTextAtATime() {
        // langchain4j's own model classes run each text alone and unpadded: the reference.
        EmbeddingModel english = new AllMiniLmL6V2EmbeddingModel();
        EmbeddingModel chinese = new BgeSmallZhV15EmbeddingModel();
        String sentence = "Binlog events flow through Kafka into Milvus.";
        String longText = String.join(" ", Collections.nCopies(90, sentence));
        List<String> texts = new ArrayList<>(ENGLISH);
        texts.add("short");
        // About 100 tokens: under the 128 at which langchain4j's MiniLM tokenizer file truncates.
        texts.add(String.join(" ", Collections.nCopies(8, sentence)));

        List<float[]> batched = REGISTRY.get("onnx-local", "all-minilm-l6-v2", Map.of("batchSize", "4")).embed(texts);
        List<float[]> zhBatched = REGISTRY.get("onnx-local", "bge-small-zh-v1.5").embed(CHINESE);

        // Past the model's window, a text is embedded in parts whose vectors are averaged: for a
        // repeated sentence that is about the vector of one window of it.
        assertThat(OnnxLocalVectorizers.encoder("all-minilm-l6-v2").tokenize(longText)).hasSizeGreaterThan(600);
        float[] longVector = REGISTRY.get("onnx-local", "all-minilm-l6-v2").embed(List.of(longText)).get(0);
        double toItsSentence = cosine(longVector, batched.get(texts.size() - 1));
        assertThat(toItsSentence).isGreaterThan(0.9);
        for (int i = 0; i < ENGLISH.size(); i++) {
            assertThat(cosine(longVector, batched.get(i))).isLessThan(toItsSentence - 0.3);
        }
        for (int i = 0; i < texts.size(); i++) {
            assertThat(cosine(batched.get(i), english.embed(texts.get(i)).content().vector()))
                    .as(texts.get(i)).isGreaterThan(0.9999);
        }
        for (int i = 0; i < CHINESE.size(); i++) {
            assertThat(cosine(zhBatched.get(i), chinese.embed(CHINESE.get(i)).content().vector()))
                    .as(CHINESE.get(i)).isGreaterThan(0.9999);
        }
        // The batch a text lands in (and so its padding) does not change its vector.
        float[] alone = REGISTRY.get("onnx-local", "all-minilm-l6-v2", Map.of("batchSize", "1")).embed(List.of(texts.get(0)))
                .get(0);
        assertThat(cosine(alone, batched.get(0))).isGreaterThan(0.99999);
    }

    @Test
    void theTokenizerGivesEachTokensPlaceInTheText() {
        // The emoji is one code point but two UTF-16 units: the spans after it must still fit.
        String text = "向量数据库 syncs 🚀 rows";
        List<TextTokenizer.TokenSpan> spans = OnnxLocalVectorizers.encoder("bge-small-zh-v1.5").tokenize(text);

        assertThat(spans).extracting(s -> text.substring(s.start(), s.end()))
                .containsSubsequence("向", "量", "数", "据", "库", "sync", "s", "🚀");
        assertThat(text.substring(spans.get(spans.size() - 1).end())).isEmpty();
        assertThat(spans).isSortedAccordingTo(Comparator.comparingInt(TextTokenizer.TokenSpan::start));
    }

    @Test
    void chunksByTokensCountTheModelsOwnTokens() {
        Vectorizer model = REGISTRY.get("onnx-local", "bge-small-zh-v1.5");
        TextTokenizer tokenizer = model.tokenizer().orElseThrow();
        String text = "向量数据库保持与业务库同步。🚀 Milvus collections follow every change, 删除也一样。";
        List<String> chunks = new TextChunker(new SyncTaskDefinition.Chunking(SyncTaskDefinition.ChunkUnit.TOKENS, 8, 2,
                null), tokenizer).split(text);

        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> assertThat(tokenizer.tokenize(c).size()).isBetween(1, 8));
        assertThat(text).startsWith(chunks.get(0)).endsWith(chunks.get(chunks.size() - 1));
        int from = 0;
        for (String chunk : chunks) {
            int at = text.indexOf(chunk, from);
            assertThat(at).as("chunks follow the text in order: %s", chunk).isGreaterThanOrEqualTo(from);
            from = at + 1;
        }
    }

    @Test
    void aBadBatchSizeIsRefused() {
        assertThatThrownBy(() -> REGISTRY.get("onnx-local", "all-minilm-l6-v2", Map.of("batchSize", "0")))
                .isInstanceOf(DataRsyncException.class).hasMessageContaining("batchSize must be a whole number");
    }

    private static String nearest(Vectorizer model, List<String> sentences, String query) {
        List<String> texts = new ArrayList<>(sentences);
        texts.add(query);
        List<float[]> vectors = model.embed(texts);
        float[] q = vectors.get(vectors.size() - 1);
        int best = -1;
        double bestScore = -2;
        for (int i = 0; i < sentences.size(); i++) {
            double score = cosine(q, vectors.get(i));
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return sentences.get(best);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
