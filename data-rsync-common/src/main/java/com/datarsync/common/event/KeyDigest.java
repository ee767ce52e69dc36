package com.datarsync.common.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * A summary of a set of row keys that two sides (the source, Milvus) compute independently and
 * compare without sending the keys: each key falls in one of {@link #BUCKETS} buckets by its
 * hash, and each bucket keeps how many keys it holds and the sum of their hashes. Equal buckets
 * hold the same keys (up to a 64-bit hash collision); only the keys of differing buckets need to
 * be listed, so a verification of millions of rows moves kilobytes unless they differ.
 *
 * <p>Sums, not XOR: a key counted twice must change the bucket. Not thread-safe.
 */
public final class KeyDigest {

    public static final int BUCKETS = 4096;

    private final long[] counts = new long[BUCKETS];
    private final long[] sums = new long[BUCKETS];

    public void add(String rowKey) {
        long[] hash = hash(rowKey);
        int bucket = bucketOf(hash);
        counts[bucket]++;
        sums[bucket] += hash[1];
    }

    public long[] counts() {
        return counts.clone();
    }

    public long[] sums() {
        return sums.clone();
    }

    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** The bucket of a row key. */
    public static int bucket(String rowKey) {
        return bucketOf(hash(rowKey));
    }

    /** Whether the row key falls in one of the buckets. */
    public static boolean inBuckets(String rowKey, Set<Integer> buckets) {
        return buckets.contains(bucket(rowKey));
    }

    private static int bucketOf(long[] hash) {
        return (int) Math.floorMod(hash[0], (long) BUCKETS);
    }

    /** MD5 of the key's UTF-8 bytes as two longs: not for security, only an even spread. */
    private static long[] hash(String rowKey) {
        try {
            ByteBuffer digest = ByteBuffer.wrap(MessageDigest.getInstance("MD5")
                    .digest(rowKey.getBytes(StandardCharsets.UTF_8)));
            return new long[] {digest.getLong(), digest.getLong()};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
