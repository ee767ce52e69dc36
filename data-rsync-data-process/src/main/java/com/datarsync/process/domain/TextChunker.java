package com.datarsync.process.domain;

import com.datarsync.common.task.SyncTaskDefinition.ChunkUnit;
import com.datarsync.common.task.SyncTaskDefinition.Chunking;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into overlapping windows, the same way every time (the chunks of an unchanged
 * text must keep their numbers and texts, so their vectors come from the cache and their
 * entities are overwritten in place).
 *
 * <p>By characters, a window is {@code size} code points; when the text goes on past it, the
 * window ends after the last whitespace or sentence punctuation in its final quarter, if there
 * is one, so words and sentences are not cut. By tokens, a window is {@code size} of the model's
 * tokens. The next window starts {@code overlap} units before the previous one ended.
 */
public final class TextChunker {

    private static final String BREAKS = "。！？；，、.!?;,:：)）]】」』\"'";

    private final Chunking chunking;
    private final TextTokenizer tokenizer;

    /** @param tokenizer the model's tokenizer; required when chunking by tokens */
    public TextChunker(Chunking chunking, TextTokenizer tokenizer) {
        if (chunking.by() == ChunkUnit.TOKENS && tokenizer == null) {
            throw new IllegalArgumentException("chunking by TOKENS needs the model's tokenizer");
        }
        this.chunking = chunking;
        this.tokenizer = tokenizer;
    }

    /**
     * The chunks of a text: at least one (an empty text is one empty chunk). Throws
     * {@link RecordRejectedException} when the text needs more than {@code maxChunks}.
     */
    public List<String> split(String text) {
        List<String> chunks = chunking.by() == ChunkUnit.TOKENS ? byTokens(text) : byCharacters(text);
        if (chunks.size() > chunking.maxChunksOrDefault()) {
            throw new RecordRejectedException("the text needs " + chunks.size() + " chunks, more than chunking.maxChunks ("
                    + chunking.maxChunksOrDefault() + ")");
        }
        return chunks;
    }

    private List<String> byCharacters(String text) {
        int[] points = text.codePoints().toArray();
        int size = chunking.size();
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = Math.min(start + size, points.length);
            if (end < points.length) {
                end = breakBefore(points, start + size - size / 4, end);
            }
            out.add(new String(points, start, end - start));
            if (end >= points.length) {
                return out;
            }
            // Overlap, but always move forward.
            start = Math.max(start + 1, end - chunking.overlapOrZero());
        }
    }

    /** The end of a window: just after the last break in [from, end), else end itself. */
    private static int breakBefore(int[] points, int from, int end) {
        for (int i = end - 1; i >= from; i--) {
            if (Character.isWhitespace(points[i]) || BREAKS.indexOf(points[i]) >= 0) {
                return i + 1;
            }
        }
        return end;
    }

    private List<String> byTokens(String text) {
        List<TextTokenizer.TokenSpan> tokens = tokenizer.tokenize(text);
        int size = chunking.size();
        if (tokens.size() <= size) {
            return List.of(text);
        }
        List<String> out = new ArrayList<>();
        int step = size - chunking.overlapOrZero();
        for (int first = 0; ; first += step) {
            int last = Math.min(first + size, tokens.size()) - 1;
            // The first chunk starts at the text's start and the last ends at its end, so no
            // leading or trailing text is lost; between chunks, the cut is at token edges.
            int from = first == 0 ? 0 : tokens.get(first).start();
            int to = last == tokens.size() - 1 ? text.length() : tokens.get(last).end();
            out.add(text.substring(from, to));
            if (last == tokens.size() - 1) {
                return out;
            }
        }
    }
}
