package com.datarsync.process.service;

import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.infra.VectorCache;
import com.datarsync.stage.TaskProgress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vectors of one model for a batch's distinct texts: from the Redis cache (keyed by each text's
 * SHA-256) where the model's vectors may be cached, else from the model, asked under the task's
 * limit on its provider.
 */
final class CachedEmbedder {

    private final VectorCache cache;
    private final TaskProgress progress;

    CachedEmbedder(VectorCache cache, TaskProgress progress) {
        this.cache = cache;
        this.progress = progress;
    }

    /** The vector of each distinct text, by text. */
    Map<String, float[]> embed(Vectorizer vectorizer, EmbeddingMetrics metrics, Set<String> texts)
            throws InterruptedException {
        Map<String, float[]> byText = new HashMap<>();
        if (texts.isEmpty()) {
            return byText;
        }
        List<String> distinct = new ArrayList<>(texts);
        boolean cacheable = vectorizer.cacheable();
        List<String> hashes = cacheable ? distinct.stream().map(CachedEmbedder::sha256).toList() : List.of();
        List<float[]> cached = cacheable ? cache.get(vectorizer.modelId(), hashes)
                : java.util.Collections.nCopies(distinct.size(), null);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            if (cached.get(i) != null) {
                byText.put(distinct.get(i), cached.get(i));
            } else {
                missing.add(i);
            }
        }
        if (cacheable) {
            progress.add("cacheHits", distinct.size() - missing.size());
            metrics.cache(distinct.size() - missing.size(), missing.size());
        }
        if (missing.isEmpty()) {
            return byText;
        }
        long started = System.nanoTime();
        List<float[]> vectors = paced(vectorizer, missing.stream().map(distinct::get).toList());
        metrics.embedded(missing.size(), System.nanoTime() - started);
        Map<String, float[]> toCache = new HashMap<>();
        for (int j = 0; j < missing.size(); j++) {
            int i = missing.get(j);
            byText.put(distinct.get(i), vectors.get(j));
            if (cacheable) {
                toCache.put(hashes.get(i), vectors.get(j));
            }
        }
        if (cacheable) {
            cache.putAll(vectorizer.modelId(), toCache);
        }
        progress.add("textsEmbedded", missing.size());
        return byText;
    }

    /** Kind of the task's limit on texts sent to a provider, in the task's rate limits: the definition's name for it. */
    static String limitKind(String provider) {
        return "embeddingTextsPerSecond." + provider;
    }

    /**
     * The model's vectors of the texts; under the task's limit on the provider, asked a tenth of
     * a second's worth at a time, so the provider sees the rate, not a batch at once.
     */
    List<float[]> paced(Vectorizer vectorizer, List<String> texts) throws InterruptedException {
        List<float[]> out = new ArrayList<>(texts.size());
        progress.limits().inSlices(progress, limitKind(vectorizer.provider()), texts, t -> 1,
                part -> out.addAll(vectorizer.embed(part)));
        return out;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
