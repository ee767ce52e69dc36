package com.datarsync.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyDigestTest {

    @Test
    void theSameKeysInAnyOrderGiveTheSameDigestAndOneKeyMoreOrLessChangesOneBucket() {
        KeyDigest a = new KeyDigest();
        KeyDigest b = new KeyDigest();
        for (int i = 0; i < 10_000; i++) {
            a.add(Integer.toString(i));
            b.add(Integer.toString(9_999 - i));
        }
        assertThat(a.counts()).isEqualTo(b.counts());
        assertThat(a.sums()).isEqualTo(b.sums());
        assertThat(a.total()).isEqualTo(10_000);

        b.add("extra");
        int bucket = KeyDigest.bucket("extra");
        for (int i = 0; i < KeyDigest.BUCKETS; i++) {
            boolean same = a.counts()[i] == b.counts()[i] && a.sums()[i] == b.sums()[i];
            assertThat(same).as("bucket " + i).isEqualTo(i != bucket);
        }
        assertThat(KeyDigest.inBuckets("extra", Set.of(bucket))).isTrue();
    }

    @Test
    void aKeyCountedTwiceIsNotTheSameAsOnce() {
        KeyDigest once = new KeyDigest();
        once.add("k");
        KeyDigest twice = new KeyDigest();
        twice.add("k");
        twice.add("k");
        assertThat(twice.sums()).isNotEqualTo(once.sums());
    }

    @Test
    void keysSpreadOverTheBuckets() {
        KeyDigest d = new KeyDigest();
        for (int i = 0; i < 100_000; i++) {
            d.add("shop.docs/" + i);
        }
        long max = 0;
        for (long c : d.counts()) {
            max = Math.max(max, c);
        }
        // About 24 keys a bucket on average; an even spread keeps every bucket far below 4x that.
        assertThat(max).isLessThan(100);
    }
}
