package com.datarsync.listener.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Decides which stable error a failed capture reports, from the exception chain Debezium gives back. */
final class CaptureFailures {

    private CaptureFailures() {
    }

    record Classified(ErrorCode code, String message) {
    }

    static Classified classify(String engineMessage, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DataRsyncException known) {
                return new Classified(known.errorCode(), known.getMessage());
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                if (sql.getSQLState().startsWith("28") || sql.getErrorCode() == 1045) {
                    return new Classified(ErrorCode.VALIDATION_FAILED, "The source refused the login: " + oneLine(sql));
                }
                if (sql.getSQLState().startsWith("08")) {
                    return new Classified(ErrorCode.SOURCE_UNREACHABLE, "The source cannot be reached: " + oneLine(sql));
                }
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || (t.getMessage() != null && (t.getMessage().contains("Connection refused")
                    || t.getMessage().contains("Communications link failure")))) {
                return new Classified(ErrorCode.SOURCE_UNREACHABLE, "The source cannot be reached: " + oneLine(t));
            }
        }
        String why = error == null ? engineMessage : oneLine(error);
        return new Classified(ErrorCode.INTERNAL_ERROR, "Capture stopped: " + why);
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
