package com.datarsync.process.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.service.VectorizerRegistry;
import java.util.ArrayList;
import java.util.List;
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
    void unknownProvidersAndModelsAreRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> REGISTRY.get("nope", "x")).isInstanceOf(DataRsyncException.class)
                .hasMessage("embedding.provider: 'nope' is not a known provider; known: [numeric, onnx-local, openai, zhipu]");
        assertThatThrownBy(() -> REGISTRY.get("onnx-local", "gpt")).isInstanceOf(DataRsyncException.class)
                .hasMessage("embedding.model: 'gpt' is not a model of onnx-local; known: "
                        + "[all-minilm-l6-v2, bge-small-zh-v1.5]");
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
