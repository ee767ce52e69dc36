package com.datarsync.common.event;

import java.util.regex.Pattern;

/**
 * Kafka topic names of the data path, one set per sync task (design part 2):
 * {@code rsync.changes.<task>} (listener to processor), {@code rsync.vectors.<task>}
 * (processor to Milvus writer) and {@code rsync.dlq.<task>} (poison records).
 */
public final class TopicNames {

    /** Kafka's legal topic characters; task ids are held to them so a topic name never needs escaping. */
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private TopicNames() {
    }

    public static String changes(String taskId) {
        return "rsync.changes." + checked(taskId);
    }

    public static String vectors(String taskId) {
        return "rsync.vectors." + checked(taskId);
    }

    public static String deadLetters(String taskId) {
        return "rsync.dlq." + checked(taskId);
    }

    private static String checked(String taskId) {
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
            throw new IllegalArgumentException(
                    "task id must be 1-200 characters of letters, digits, '.', '_' or '-': " + taskId);
        }
        return taskId;
    }
}
