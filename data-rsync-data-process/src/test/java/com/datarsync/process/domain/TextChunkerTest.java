package com.datarsync.process.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.task.SyncTaskDefinition.ChunkUnit;
import com.datarsync.common.task.SyncTaskDefinition.Chunking;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

    /** Words as tokens: enough to check the windows without loading a model. */
    private static final TextTokenizer WORDS = text -> {
        List<TextTokenizer.TokenSpan> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\S+").matcher(text);
        while (m.find()) {
            out.add(new TextTokenizer.TokenSpan(m.start(), m.end()));
        }
        return out;
    };

    @Test
    void shortAndEmptyTextsAreOneChunk() {
        TextChunker chunker = new TextChunker(new Chunking(ChunkUnit.CHARACTERS, 20, 5, null), null);

        assertThat(chunker.split("fits in one")).containsExactly("fits in one");
        assertThat(chunker.split("")).containsExactly("");
    }

    @Test
    void charactersAreCutAfterABreakAndOverlap() {
        TextChunker chunker = new TextChunker(new Chunking(ChunkUnit.CHARACTERS, 20, 4, null), null);

        List<String> chunks = chunker.split("alpha beta gamma delta epsilon zeta eta theta");

        assertThat(chunks).containsExactly("alpha beta gamma ", "mma delta epsilon ", "lon zeta eta theta");
        assertThat(chunks).allSatisfy(c -> assertThat(c.codePointCount(0, c.length())).isLessThanOrEqualTo(20));
    }

    @Test
    void codePointsAreNeverSplitAndChinesePunctuationIsABreak() {
        String text = "第一句话很短。第二句话也不长。🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀";
        List<String> chunks = new TextChunker(new Chunking(ChunkUnit.CHARACTERS, 8, 0, null), null).split(text);

        assertThat(chunks).startsWith("第一句话很短。", "第二句话也不长。");
        assertThat(String.join("", chunks)).isEqualTo(text);
        assertThat(chunks).allSatisfy(c -> assertThat(c.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)).isTrue());
    }

    @Test
    void tokensWindowsOverlapByTheGivenCountAndKeepTheTextsEnds() {
        String text = " one two three four five six seven. ";
        List<String> chunks = new TextChunker(new Chunking(ChunkUnit.TOKENS, 3, 1, null), WORDS).split(text);

        assertThat(chunks).containsExactly(" one two three", "three four five", "five six seven. ");
    }

    @Test
    void theSameTextAlwaysGivesTheSameChunks() {
        String text = "lorem ipsum ".repeat(200);
        TextChunker chunker = new TextChunker(new Chunking(ChunkUnit.CHARACTERS, 100, 10, null), null);

        assertThat(chunker.split(text)).isEqualTo(chunker.split(text)).hasSizeGreaterThan(20);
    }

    @Test
    void aTextNeedingTooManyChunksIsRejected() {
        TextChunker chunker = new TextChunker(new Chunking(ChunkUnit.TOKENS, 2, 0, 3), WORDS);

        assertThat(chunker.split("a b c d e f")).hasSize(3);
        assertThatThrownBy(() -> chunker.split("a b c d e f g")).isInstanceOf(RecordRejectedException.class)
                .hasMessage("the text needs 4 chunks, more than chunking.maxChunks (3)");
    }
}
