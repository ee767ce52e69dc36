package com.datarsync.milvus.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.datarsync.milvus.infra.MilvusConnectionPool.Purpose;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Milvus connection pool on the real local Milvus: reuse, the bound, the idle timeout, the checks. */
class MilvusConnectionPoolIT {

    private static MilvusConnectionPool pool(int max, Duration idleTimeout, Duration checkEvery) {
        return new MilvusConnectionPool(LocalInfra.get().milvusUri(), Duration.ofSeconds(8), Duration.ofSeconds(60),
                new MilvusConnectionPool.Settings(max, idleTimeout, checkEvery));
    }

    private static boolean hasCollection(MilvusConnectionPool pool, Purpose purpose) {
        return pool.call(purpose, c -> c.hasCollection(HasCollectionReq.builder().collectionName("no_such_collection")
                .build()));
    }

    @Test
    void reusesOneConnectionForCallsInTurnAndNeverOpensMoreThanTheBound() throws Exception {
        try (MilvusConnectionPool pool = pool(2, Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            for (int i = 0; i < 20; i++) {
                assertThat(hasCollection(pool, Purpose.WRITE)).isFalse();
            }
            assertThat(pool.created()).isEqualTo(1);

            // Six callers at once, each holding its connection until all six have asked: only two get one at a time.
            ExecutorService callers = Executors.newFixedThreadPool(6);
            AtomicInteger inCall = new AtomicInteger();
            AtomicInteger mostInUse = new AtomicInteger();
            CountDownLatch asked = new CountDownLatch(6);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    calls.add(callers.submit(() -> pool.call(Purpose.WRITE, c -> {
                        mostInUse.accumulateAndGet(inCall.incrementAndGet(), Math::max);
                        asked.countDown();
                        try {
                            asked.await(200, TimeUnit.MILLISECONDS);
                            return c.hasCollection(HasCollectionReq.builder().collectionName("no_such_collection").build());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return null;
                        } finally {
                            inCall.decrementAndGet();
                        }
                    })));
                }
                for (Future<?> call : calls) {
                    call.get(30, TimeUnit.SECONDS);
                }
            } finally {
                callers.shutdownNow();
            }
            assertThat(mostInUse.get()).isEqualTo(2);
            assertThat(pool.open(Purpose.WRITE)).isEqualTo(2);
            assertThat(pool.created()).isEqualTo(2);
        }
    }

    @Test
    void closesAConnectionUnusedForTheIdleTimeoutAndOpensANewOneOnTheNextCall() {
        try (MilvusConnectionPool pool = pool(2, Duration.ofSeconds(1), Duration.ofMillis(200))) {
            hasCollection(pool, Purpose.READ);
            assertThat(pool.open(Purpose.READ)).isEqualTo(1);

            await().atMost(Duration.ofSeconds(10)).until(() -> pool.open(Purpose.READ) == 0);
            assertThat(pool.destroyed()).isEqualTo(1);

            assertThat(hasCollection(pool, Purpose.READ)).isFalse();
            assertThat(pool.created()).isEqualTo(2);
        }
    }

    @Test
    void keepsAnIdleConnectionThatPassesItsRoundTripCheck() throws Exception {
        try (MilvusConnectionPool pool = pool(2, Duration.ofMinutes(5), Duration.ofMillis(100))) {
            hasCollection(pool, Purpose.PROBE);
            // About twenty checks (a getServerVersion round trip each) on a live server: none closes it.
            Thread.sleep(2_000);
            assertThat(pool.open(Purpose.PROBE)).isEqualTo(1);
            assertThat(pool.destroyed()).isZero();
        }
    }

    @Test
    void replacesAConnectionWhoseChannelWasShutDown() {
        try (MilvusConnectionPool pool = pool(2, Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            pool.call(Purpose.WRITE, c -> {
                c.close();
                return null;
            });
            assertThat(pool.open(Purpose.WRITE)).isEqualTo(1);

            assertThat(hasCollection(pool, Purpose.WRITE)).isFalse();
            assertThat(pool.destroyed()).isEqualTo(1);
            assertThat(pool.created()).isEqualTo(2);
        }
    }
}
