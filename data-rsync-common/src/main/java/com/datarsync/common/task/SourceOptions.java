package com.datarsync.common.task;

import java.util.Map;
import java.util.TreeMap;

/**
 * The Debezium connector properties a task's {@code source.options} may set: tuning of the
 * snapshot and the stream, and the key columns of tables without a primary key. Everything else
 * is refused, each option named: Data Rsync sets the connection, where positions are kept, the
 * event shapes the stages read and the signal and heartbeat SQL itself, and a connector property
 * outside this list could load a class, read a file or run SQL on the listener's behalf
 * ({@code driver.*}, {@code database.jdbc.driver}, {@code *.truststore}, ...). The list and each
 * entry's meaning are in docs/data-path.md.
 */
public final class SourceOptions {

    /** Option to what it tunes (the same text as docs/data-path.md's table). */
    public static final Map<String, String> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("snapshot.max.threads", "readers of a blocking snapshot: a table is read as that many key ranges at once"),
            Map.entry("snapshot.fetch.size", "rows fetched per round trip while a snapshot reads a table"),
            Map.entry("snapshot.lock.timeout.ms", "how long a snapshot waits for its table locks"),
            Map.entry("snapshot.locking.mode", "MySQL/MariaDB: the locks a snapshot takes (minimal, extended, none)"),
            Map.entry("snapshot.delay.ms", "a pause before the snapshot starts"),
            Map.entry("streaming.delay.ms", "a pause before streaming starts after the snapshot"),
            Map.entry("message.key.columns", "the key columns of tables without a primary key (table:col,...;...)"),
            Map.entry("max.batch.size", "changes handed over per batch"),
            Map.entry("max.queue.size", "changes queued between the log reader and the publisher"),
            Map.entry("max.queue.size.in.bytes", "the same queue's bound in bytes"),
            Map.entry("poll.interval.ms", "how long the publisher waits for a batch to fill"),
            Map.entry("query.fetch.size", "rows fetched per round trip by other queries"),
            Map.entry("database.query.timeout.ms", "MySQL/MariaDB: the timeout of the connector's queries"),
            Map.entry("connect.timeout.ms", "MySQL/MariaDB: the binlog connection's connect timeout"),
            Map.entry("connect.keep.alive", "MySQL/MariaDB: reconnect a lost binlog connection"),
            Map.entry("connect.keep.alive.interval.ms", "MySQL/MariaDB: how often a lost binlog connection is noticed"),
            Map.entry("binlog.buffer.size", "MySQL/MariaDB: the look-ahead buffer of the binlog reader"),
            Map.entry("gtid.source.includes", "MySQL/MariaDB: the GTID sources whose transactions are read"),
            Map.entry("gtid.source.excludes", "MySQL/MariaDB: the GTID sources whose transactions are skipped"),
            Map.entry("heartbeat.interval.ms", "how often Debezium records its position while the tables are quiet"),
            Map.entry("status.update.interval.ms", "PostgreSQL: how often the replication slot's position is confirmed"),
            Map.entry("xmin.fetch.interval.ms", "PostgreSQL: how often the slot's xmin is read"),
            Map.entry("retriable.restart.connector.wait.ms", "the pause before Debezium restarts after a retriable error")));

    private SourceOptions() {
    }

    public static boolean allowed(String key) {
        return key != null && ALLOWED.containsKey(key);
    }
}
