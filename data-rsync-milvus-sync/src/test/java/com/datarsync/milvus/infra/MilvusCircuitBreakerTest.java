package com.datarsync.milvus.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MilvusCircuitBreakerTest {

    private static final MilvusClientException DOWN = new MilvusClientException(
            io.milvus.v2.exception.ErrorCode.RPC_ERROR, "UNAVAILABLE: connection refused");

    @Test
    void opensAfterTheSetFailuresOfMilvusPausesWritesAndAProbeClosesItAgain() throws Exception {
        MilvusCircuitBreaker breaker = new MilvusCircuitBreaker(3, Duration.ofSeconds(30), Duration.ofSeconds(1));
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> breaker.run("c_open", () -> {
                calls.incrementAndGet();
                throw DOWN;
            })).isSameAs(DOWN);
        }
        assertThat(breaker.isOpen("c_open")).isTrue();
        assertThatThrownBy(() -> breaker.run("c_open", calls::incrementAndGet))
                .isInstanceOfSatisfying(DataRsyncException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TARGET_PAUSED);
                    assertThat(e.getMessage()).contains("c_open").contains("UNAVAILABLE: connection refused");
                });
        assertThat(calls).as("no call reaches Milvus while open").hasValue(3);

        Thread.sleep(1_100);
        breaker.run("c_open", calls::incrementAndGet);
        assertThat(calls).as("the probe went through").hasValue(4);
        assertThat(breaker.isOpen("c_open")).isFalse();
        breaker.run("c_open", calls::incrementAndGet);
    }

    @Test
    void refusalsOfTheDataNeverOpenIt() {
        MilvusCircuitBreaker breaker = new MilvusCircuitBreaker(3, Duration.ofSeconds(30), Duration.ofSeconds(10));
        MilvusClientException badRow = new MilvusClientException(io.milvus.v2.exception.ErrorCode.INVALID_PARAMS,
                "Incorrect dimension");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> breaker.run("c_data", () -> {
                throw badRow;
            })).isSameAs(badRow);
        }
        assertThat(breaker.isOpen("c_data")).isFalse();
        breaker.run("c_data", () -> { });
    }
}
