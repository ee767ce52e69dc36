package com.datarsync.milvus.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import org.junit.jupiter.api.Test;

class MilvusFailuresTest {

    @Test
    void onlyRefusalsOfTheDataAreAboutTheData() {
        // Checked by the SDK against the schema before sending: wrong dimension, wrong type.
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.INVALID_PARAMS,
                "Incorrect dimension for field 'embedding': the no.0 vector's dimension: 383 is not equal to field's dimension: 384")))
                .isTrue();
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.CLIENT_ERROR,
                new io.milvus.exception.ParamException("Incorrect dimension for field 'v'")))).isTrue();
        // Milvus' parameter errors: a text longer than the field's max_length.
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.SERVER_ERROR,
                "length of varchar field title exceeds max length", 1100, 5))).isTrue();
    }

    @Test
    void failuresOfMilvusItselfNeverSendARowToTheDeadLetters() {
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.RPC_ERROR, "UNAVAILABLE: io exception")))
                .isFalse();
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.TIMEOUT, "deadline exceeded")))
                .isFalse();
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.SERVER_ERROR,
                "collection not loaded", 101, 1))).isFalse();
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.SERVER_ERROR,
                "rate limit exceeded", 8, 1))).isFalse();
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.COLLECTION_NOT_FOUND, "gone")))
                .isFalse();
        assertThat(MilvusFailures.isAboutTheData(new MilvusClientException(ErrorCode.CLIENT_ERROR,
                new IllegalStateException("channel shut down")))).isFalse();
        assertThat(MilvusFailures.isAboutTheData(new IllegalStateException("anything else"))).isFalse();
    }
}
