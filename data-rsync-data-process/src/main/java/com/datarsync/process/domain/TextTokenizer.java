package com.datarsync.process.domain;

import java.util.List;

/** A model's own tokenizer, as far as chunking by tokens needs it. */
@FunctionalInterface
public interface TextTokenizer {

    /** A token's place in the text, in UTF-16 offsets: {@code text.substring(start, end)}. */
    record TokenSpan(int start, int end) {
    }

    /** The text's tokens in order, without the model's special tokens ({@code [CLS]}, {@code [SEP]}). */
    List<TokenSpan> tokenize(String text);
}
