package com.datarsync.listener.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.error.ErrorCode;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which failures of a capture are worth another try (the source away) and which are not. */
class CaptureFailuresTest {

    @Test
    void debeziumGivingUpOnAStoppedPostgresIsASourceOutage() {
        // What Debezium 3.5 reported once its retries on a stopped PostgreSQL ran out.
        RuntimeException error = new RuntimeException("Connector configuration is not valid. Error while validating "
                + "connector config: Connection to 127.0.0.1:15432 refused. Check that the hostname and port are correct "
                + "and that the postmaster is accepting TCP/IP connections.");

        assertThat(CaptureFailures.classify("failed", error).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(CaptureFailures.classify(error.getMessage(), null).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
    }

    @Test
    void aLoginRefusedInDebeziumsTextIsNotRetriedAsAnOutage() {
        // What Debezium 3.5 reports when the MariaDB login is refused, and PostgreSQL's refusal.
        RuntimeException mariadb = new RuntimeException("Connector configuration is not valid. Unable to connect: "
                + "(conn=63) Access denied for user 'datarsync'@'127.0.0.1' (using password: YES)");
        RuntimeException postgres = new RuntimeException("Connector configuration is not valid. Error while validating "
                + "connector config: FATAL: password authentication failed for user \"datarsync\"");

        for (RuntimeException refused : List.of(mariadb, postgres)) {
            CaptureFailures.Classified classified = CaptureFailures.classify("failed", refused);
            assertThat(classified.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(classified.message()).startsWith("The source refused the login");
            assertThat(classified.code().retriable()).isFalse();
        }
    }

    @Test
    void aLogPositionTheSourceNoLongerHasFailsClosedAskingForAFullSync() {
        IllegalStateException purged = new IllegalStateException("The connector is trying to read binlog starting at "
                + "Struct{version=3.5.0.Final,connector=mariadb,pos=1234}, but this is no longer available on the server. "
                + "Reconfigure the connector to use a snapshot when needed.");
        SQLException walGone = new SQLException("ERROR: requested WAL segment 000000010000000000000003 has already been "
                + "removed", "58P01");

        for (Throwable lost : List.of(new RuntimeException("wrapped", purged), walGone)) {
            CaptureFailures.Classified classified = CaptureFailures.classify("x", lost);
            assertThat(classified.code()).isEqualTo(ErrorCode.POSITION_LOST);
            assertThat(classified.message()).contains("full sync");
        }
        assertThat(CaptureFailures.classify(purged.getMessage(), null).code()).isEqualTo(ErrorCode.POSITION_LOST);
        assertThat(ErrorCode.POSITION_LOST.retriable()).isFalse();
    }

    @Test
    void aServerShuttingDownOrStartingUpIsASourceOutage() {
        SQLException shutdown = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        SQLException starting = new SQLException("FATAL: the database system is starting up", "57P03");

        assertThat(CaptureFailures.classify("x", new IllegalStateException("wrapped", shutdown)).code())
                .isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(CaptureFailures.classify("x", starting).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(ErrorCode.SOURCE_UNREACHABLE.retriable()).isTrue();
    }

    @Test
    void aRefusedLoginIsPermanent() {
        SQLException login = new SQLException("password authentication failed for user \"u\"", "28P01");

        assertThat(CaptureFailures.classify("x", login).code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void anUnknownFaultInsideTheCaptureIsRetriedFromTheStoredPosition() {
        // The chain Debezium 3.5 handed back when the MariaDB driver could not decode a result
        // (CI5 of stop 36): the producer's ConnectException around the driver's NPE.
        NullPointerException driver = new NullPointerException("Cannot invoke \"org.mariadb.jdbc.client.DataType"
                + ".getUnsignedColumnConstructor()\" because \"dataType\" is null");
        RuntimeException producer = new RuntimeException("An exception occurred in the change event producer. "
                + "This connector will be stopped.", driver);
        Exception engine = new java.util.concurrent.ExecutionException(producer);

        CaptureFailures.Classified classified = CaptureFailures.classify("failed", engine);

        assertThat(classified.code()).isEqualTo(ErrorCode.CAPTURE_INTERRUPTED);
        assertThat(classified.code().retriable()).isTrue();
        assertThat(classified.message()).startsWith("Capture stopped: An exception occurred in the change event producer")
                .contains("NullPointerException").contains("\"dataType\" is null").doesNotContain("\n");
        assertThat(CaptureFailures.classify("x", new IllegalStateException("schema history is corrupt")).message())
                .isEqualTo("Capture stopped: schema history is corrupt");
        assertThat(CaptureFailures.classify("Engine stopped", null).code()).isEqualTo(ErrorCode.CAPTURE_INTERRUPTED);
    }
}
