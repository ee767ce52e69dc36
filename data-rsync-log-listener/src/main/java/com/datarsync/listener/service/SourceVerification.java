package com.datarsync.listener.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.KeyDigest;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.common.event.TopicNames;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.DataSourceConnections;
import com.datarsync.listener.infra.SourceRowReader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.stereotype.Service;

/**
 * The source's side of a verification (docs/tasks.md, "Verification"): a digest of every row key
 * with a random sample of them, the keys of chosen digest buckets, rows by key, and the repair
 * that re-reads rows by key and sends each through the task's change topic, so it takes the same
 * path and the same order as a change of that row.
 */
@Service
public class SourceVerification {

    private final AcknowledgedPublisher publisher;
    private final DataSourceConnections sources;

    public SourceVerification(AcknowledgedPublisher publisher, DataSourceConnections sources) {
        this.publisher = publisher;
        this.sources = sources;
    }

    /** What the source holds: rows per table, the key digest, and up to {@code sampleSize} row keys drawn at random. */
    public record KeySummary(Map<String, Long> tables, long[] counts, long[] sums, List<String> sample) {
    }

    public KeySummary keys(SyncTaskDefinition task, int sampleSize) {
        refuseFiltered(task);
        KeyDigest digest = new KeyDigest();
        Map<String, Long> tables = new LinkedHashMap<>();
        List<String> sample = new ArrayList<>(Math.max(0, sampleSize));
        long[] seen = {0};
        withReader(task, reader -> {
            for (SourceRowReader.TableKeys table : reader.tables()) {
                long before = seen[0];
                reader.forEachKey(table, key -> {
                    digest.add(key);
                    // Reservoir sampling: every key has the same chance, in one pass and bounded memory.
                    long n = seen[0]++;
                    if (sample.size() < sampleSize) {
                        sample.add(key);
                    } else if (sampleSize > 0) {
                        long slot = ThreadLocalRandom.current().nextLong(n + 1);
                        if (slot < sampleSize) {
                            sample.set((int) slot, key);
                        }
                    }
                });
                tables.put(table.qualifiedName(), seen[0] - before);
            }
            return null;
        });
        return new KeySummary(tables, digest.counts(), digest.sums(), sample);
    }

    /** The row keys of the source that fall in the buckets, sorted. */
    public List<String> bucketKeys(SyncTaskDefinition task, Set<Integer> buckets) {
        refuseFiltered(task);
        TreeSet<String> out = new TreeSet<>();
        withReader(task, reader -> {
            for (SourceRowReader.TableKeys table : reader.tables()) {
                reader.forEachKey(table, key -> {
                    if (KeyDigest.inBuckets(key, buckets)) {
                        out.add(key);
                    }
                });
            }
            return null;
        });
        return new ArrayList<>(out);
    }

    /** The rows the source holds now for the keys, as read events; absent keys are left out. */
    public Map<String, ChangeEvent> rows(SyncTaskDefinition task, List<String> keys) {
        return withReader(task, reader -> reader.read(keys));
    }

    /** What a repair sent. */
    public record Republished(int refreshed, int deleted) {
    }

    /**
     * Re-reads each row and publishes it to the change topic: the row as it is now (op {@code r})
     * when the source holds it, a delete when it does not. Keyed like the capture's own events,
     * each lands in its row's partition, in order with that row's changes: a change made after
     * the read follows it; one made before is already in the row read.
     */
    public Republished republish(SyncTaskDefinition task, List<String> keys) {
        return withReader(task, reader -> {
            Map<String, ChangeEvent> rows = reader.read(keys);
            String topic = TopicNames.changes(task.id());
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>(keys.size());
            int deleted = 0;
            for (String key : keys) {
                ChangeEvent event = rows.get(key);
                if (event == null) {
                    SourceRowReader.TableKeys table = reader.tableOf(key);
                    event = new ChangeEvent(ChangeEvent.VERSION, task.id(), new ChangeEvent.Source(task.source().kind(),
                            task.source().database(), table.schema(), table.table().table(), null,
                            System.currentTimeMillis(), false), ChangeEvent.Op.d, key, null, null);
                    deleted++;
                }
                out.add(new ProducerRecord<>(topic, event.source().qualifiedTable() + "/" + key, EventJson.write(event)));
            }
            try {
                publisher.publishAll(out, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, "Interrupted while publishing the repair",
                        Map.of(), e);
            }
            return new Republished(keys.size() - deleted, deleted);
        });
    }

    /**
     * A task that keeps only some rows (or drops some operations) cannot be compared row for row
     * with its tables: the source holds rows the target rightly does not.
     */
    static void refuseFiltered(SyncTaskDefinition definition) {
        boolean filtered = definition.tables().stream().anyMatch(t -> t.filter() != null && (t.filter().where() != null
                || t.filter().window() != null || (t.filter().operations() != null && !t.filter().operations().isEmpty()
                && !t.filter().operations().containsAll(List.of("c", "u", "d", "r")))));
        if (filtered) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "The task keeps only some rows of a table "
                    + "(tables[].filter): its source cannot be compared row for row with the collection",
                    Map.of("taskId", definition.id()), null);
        }
    }

    private interface ReaderWork<T> {
        T run(SourceRowReader reader) throws SQLException;
    }

    private <T> T withReader(SyncTaskDefinition task, ReaderWork<T> work) {
        try (SourceRowReader reader = new SourceRowReader(task, sources.endpoint(task, false))) {
            return work.run(reader);
        } catch (SQLException e) {
            throw new DataRsyncException(ErrorCode.SOURCE_UNREACHABLE, "The source could not be read: "
                    + e.getMessage(), Map.of("taskId", task.id()), null);
        }
    }
}
