package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.DeadLetter;
import com.datarsync.common.event.EventJson;
import com.datarsync.stage.kafka.KafkaSettings;
import com.datarsync.common.event.TopicNames;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.task.domain.ReplayPlan;
import com.datarsync.task.domain.StoredDeadLetter;
import com.datarsync.task.infra.DeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Replays dead letters through the stage that failed them, after the operator fixed the cause:
 * each record goes back to the end of the partition it was read from, with its key, so the stage
 * handles it again and a row's records stay in one partition. A letter whose row changed (or
 * whose table was truncated) after it is superseded, not replayed ({@link ReplayPlan}); should the
 * row change between that check and the replay, its newer record is published again after the
 * replay, so the row still ends at its latest state. A record that fails again comes back as a
 * new dead letter.
 */
@Service
public class DeadLetterReplay {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final Duration KAFKA_WAIT = Duration.ofSeconds(15);

    /** What a replay did with each letter. */
    public record Outcome(List<String> replayed, List<String> superseded, Map<String, String> skipped,
            int newerRepublished) {
    }

    private final KafkaSettings kafka;
    private final DeadLetterStore store;

    public DeadLetterReplay(KafkaSettings kafka, DeadLetterStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    public Outcome replay(SyncTaskDefinition task, List<StoredDeadLetter> letters) {
        List<StoredDeadLetter> ordered = new ArrayList<>(letters);
        ordered.sort(Comparator.comparingLong((StoredDeadLetter l) -> l.letter().failedAtMs()).thenComparing(l ->
                l.letter().source() == null ? -1 : l.letter().source().offset()));
        Map<String, String> skipped = new LinkedHashMap<>();
        Map<TopicPartition, List<StoredDeadLetter>> byPartition = new LinkedHashMap<>();
        for (StoredDeadLetter l : ordered) {
            if (!l.replayable()) {
                skipped.put(l.id(), "the record did not come from a task topic (" + l.letter().stage()
                        + " read it from the source's log) or was cut short; re-snapshot the task to carry the row");
            } else {
                byPartition.computeIfAbsent(partition(l), p -> new ArrayList<>()).add(l);
            }
        }
        List<String> replayed = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        int newer = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer(); KafkaProducer<String, byte[]> producer = producer()) {
            for (Map.Entry<TopicPartition, List<StoredDeadLetter>> e : byPartition.entrySet()) {
                TopicPartition partition = e.getKey();
                boolean keysCarryTable = partition.topic().equals(TopicNames.changes(task.id())) || task.tables().size() > 1;
                String onlyTable = task.tables().get(0).qualifiedName(SourceKind.byId(task.source().kind()).orElseThrow(),
                        task.source().database());
                long from = e.getValue().stream().mapToLong(l -> l.letter().source().offset()).min().orElseThrow() + 1;
                long end = endOffset(consumer, partition);
                List<ReplayPlan.LaterRecord> later = read(consumer, partition, from, end, null);
                List<StoredDeadLetter> toReplay = new ArrayList<>();
                for (StoredDeadLetter l : e.getValue()) {
                    DeadLetter letter = l.letter();
                    String table = ReplayPlan.tableOf(letter.key(), keysCarryTable, onlyTable);
                    boolean stale = later.stream().anyMatch(r -> ReplayPlan.supersedes(r, letter.source().offset(),
                            letter.key(), table));
                    (stale ? superseded : replayed).add(l.id());
                    if (!stale) {
                        toReplay.add(l);
                    }
                }
                Map<String, Long> replayedAt = new HashMap<>();
                for (StoredDeadLetter l : toReplay) {
                    long offset = send(producer, new ProducerRecord<>(partition.topic(), partition.partition(),
                            l.letter().key(), l.letter().payload().getBytes(StandardCharsets.UTF_8)));
                    replayedAt.put(l.letter().key(), offset);
                }
                newer += republishNewer(consumer, producer, partition, end, replayedAt);
            }
        } catch (KafkaException e) {
            throw unavailable(e);
        }
        replayed.forEach(id -> store.remove(task.id(), id));
        superseded.forEach(id -> store.remove(task.id(), id));
        log.info("Task {}: {} dead letters replayed, {} superseded, {} skipped, {} newer records published again",
                task.id(), replayed.size(), superseded.size(), skipped.size(), newer);
        return new Outcome(replayed, superseded, skipped, newer);
    }

    /**
     * The records of a replayed row that arrived between the check and the replay: each is
     * published once more after the replay, so it stays the row's last word.
     */
    private int republishNewer(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            TopicPartition partition, long checkedUpTo, Map<String, Long> replayedAt) {
        if (replayedAt.isEmpty()) {
            return 0;
        }
        long last = replayedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<ConsumerRecord<String, byte[]>> raced = new ArrayList<>();
        read(consumer, partition, checkedUpTo, last, r -> {
            Long ours = replayedAt.get(r.key());
            if (ours != null && r.offset() < ours) {
                raced.add(r);
            }
        });
        for (ConsumerRecord<String, byte[]> r : raced) {
            send(producer, new ProducerRecord<>(partition.topic(), partition.partition(), r.key(), r.value()));
        }
        return raced.size();
    }

    /** Records of the partition in [from, to): as later-record summaries, and each to {@code each} when given. */
    private static List<ReplayPlan.LaterRecord> read(KafkaConsumer<String, byte[]> consumer, TopicPartition partition,
            long from, long to, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
        List<ReplayPlan.LaterRecord> out = new ArrayList<>();
        if (from >= to) {
            return out;
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (consumer.position(partition) < to) {
            if (System.nanoTime() > deadline) {
                throw new DataRsyncException(ErrorCode.UPSTREAM_TIMEOUT, "Reading " + partition
                        + " to check the dead letters took too long", Map.of(), null);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                if (r.offset() >= to) {
                    break;
                }
                if (each != null) {
                    each.accept(r);
                }
                out.add(new ReplayPlan.LaterRecord(r.offset(), r.key(), truncatedTable(r)));
            }
        }
        return out;
    }

    private static String truncatedTable(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null && r.value() != null) {
            Object op = EventJson.read(r.value(), Map.class).get("op");
            return "b".equals(op) || "SNAPSHOT_BEGIN".equals(op) ? ReplayPlan.EVERY_TABLE : null;
        }
        String table = ReplayPlan.truncateKeyTable(r.key());
        if (table == null || r.value() == null) {
            return null;
        }
        Object op = EventJson.read(r.value(), Map.class).get("op");
        return "t".equals(op) || "TRUNCATE".equals(op) ? table : null;
    }

    private static long endOffset(KafkaConsumer<String, byte[]> consumer, TopicPartition partition) {
        return consumer.endOffsets(List.of(partition), KAFKA_WAIT).get(partition);
    }

    private static long send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get(KAFKA_WAIT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(e);
        }
    }

    private static TopicPartition partition(StoredDeadLetter l) {
        return new TopicPartition(l.letter().source().topic(), l.letter().source().partition());
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(kafka.client(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(kafka.client(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, com.datarsync.stage.kafka.TopicProvisioner.MAX_RECORD_BYTES)),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static DataRsyncException unavailable(Exception e) {
        return new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE, "Kafka did not take the replay: " + e.getMessage(),
                Map.of(), e);
    }
}
