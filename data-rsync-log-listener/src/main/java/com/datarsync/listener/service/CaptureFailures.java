package com.datarsync.listener.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** Decides which stable error a failed capture reports, from the exception chain Debezium gives back. */
final class CaptureFailures {

    private CaptureFailures() {
    }

    record Classified(ErrorCode code, String message) {
    }

    static Classified classify(String engineMessage, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (positionLost(t.getMessage())) {
                return new Classified(ErrorCode.POSITION_LOST, "The source no longer has the log position the task "
                        + "stopped at (" + oneLine(t) + "); the changes since are lost to the log: run a full sync "
                        + "(POST /api/tasks/{id}/full-sync) to read the tables again and remove what they no longer hold");
            }
            if (t instanceof DataRsyncException known) {
                return new Classified(known.errorCode(), known.getMessage());
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                if (sql.getSQLState().startsWith("28") || sql.getErrorCode() == 1045) {
                    return new Classified(ErrorCode.VALIDATION_FAILED, "The source refused the login: " + oneLine(sql));
                }
                // 08: connection exceptions; 57P: PostgreSQL shutting down, starting up or restarting.
                if (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")) {
                    return new Classified(ErrorCode.SOURCE_UNREACHABLE, "The source cannot be reached: " + oneLine(sql));
                }
            }
            if (loginRefused(t.getMessage())) {
                return new Classified(ErrorCode.VALIDATION_FAILED, "The source refused the login: " + oneLine(t));
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || unreachable(t.getMessage())) {
                return new Classified(ErrorCode.SOURCE_UNREACHABLE, "The source cannot be reached: " + oneLine(t));
            }
        }
        if (error == null && positionLost(engineMessage)) {
            return classify(null, new IllegalStateException(engineMessage));
        }
        if (error == null && unreachable(engineMessage)) {
            return new Classified(ErrorCode.SOURCE_UNREACHABLE, "The source cannot be reached: " + engineMessage);
        }
        // Anything else (Debezium's "exception in the change event producer" around a driver or
        // connector fault) is not known to be permanent: the stored offsets still hold, so the
        // supervisor starts the capture again from them under its back-off, and fails the task
        // only when the retry budget runs out.
        return new Classified(ErrorCode.CAPTURE_INTERRUPTED, "Capture stopped: " + rootCause(engineMessage, error));
    }

    /**
     * What the drivers and Debezium say when the server is down, restarting or unreachable;
     * Debezium sometimes passes only this text on (for example after its own retries ran out,
     * as "Connector configuration is not valid. … Connection to host:port refused").
     */
    private static final Pattern UNREACHABLE = Pattern.compile("(?i)connection( to \\S+)? refused"
            + "|communications link failure|connect timed out|could not connect|no route to host"
            + "|the database system is (starting up|shutting down|in recovery mode)"
            + "|terminating connection due to administrator command|connection reset");

    /**
     * A refused login as Debezium passes it on in text only ("Connector configuration is not
     * valid. Unable to connect: … Access denied for user …"): MySQL/MariaDB error 1045, PostgreSQL
     * SQL state 28P01.
     */
    private static final Pattern LOGIN_REFUSED = Pattern.compile("(?i)access denied for user"
            + "|password authentication failed|no pg_hba\\.conf entry");

    static boolean loginRefused(String message) {
        return message != null && LOGIN_REFUSED.matcher(message).find();
    }

    /**
     * What Debezium says when the position it stored is gone: binlog files purged (MySQL/MariaDB),
     * WAL removed under the replication slot (PostgreSQL).
     */
    private static final Pattern POSITION_LOST = Pattern.compile("(?i)no longer available on the server"
            + "|requested WAL segment \\S+ has already been removed|binlog.*(purged|could not find first log file)"
            + "|Could not find first log file name in binary log index file");

    static boolean positionLost(String message) {
        return message != null && POSITION_LOST.matcher(message).find();
    }

    static boolean unreachable(String message) {
        return message != null && UNREACHABLE.matcher(message).find();
    }

    /** Debezium's own message first, then the innermost cause, which names the fault. */
    private static String rootCause(String engineMessage, Throwable error) {
        if (error == null) {
            return engineMessage;
        }
        Throwable outer = error;
        // The engine may hand the failure over inside its executor's wrapper.
        while (outer instanceof java.util.concurrent.ExecutionException && outer.getCause() != null) {
            outer = outer.getCause();
        }
        Throwable root = outer;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == outer ? oneLine(outer)
                : oneLine(outer) + " (" + root.getClass().getSimpleName() + ": " + oneLine(root) + ")";
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
