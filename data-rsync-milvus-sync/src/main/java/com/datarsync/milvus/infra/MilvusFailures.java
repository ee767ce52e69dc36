package com.datarsync.milvus.infra;

import io.milvus.exception.ParamException;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;

/**
 * Tells a refusal of the data apart from a failure of Milvus itself. Only the first may ever send
 * a row to the dead letters: a row refused because Milvus restarted, timed out, limited the rate
 * or had the collection released would be lost there although nothing is wrong with it.
 */
public final class MilvusFailures {

    /** Milvus' own codes 1100 to 1199 are its parameter errors: a value that does not fit the schema. */
    private static final int FIRST_PARAMETER_CODE = 1100;
    private static final int LAST_PARAMETER_CODE = 1199;

    private MilvusFailures() {
    }

    /**
     * True when the failure is about the rows sent (a vector of the wrong dimension, text over the
     * field's length, a value of the wrong type), which a retry cannot fix; false for everything
     * else, which a retry can (unavailable, timeout, rate limit, collection not loaded or missing,
     * anything unknown).
     */
    public static boolean isAboutTheData(Throwable failure) {
        if (!(failure instanceof MilvusClientException milvus)) {
            return false;
        }
        if (milvus.getErrorCode() == ErrorCode.INVALID_PARAMS || causedBy(milvus, ParamException.class)) {
            // The SDK checks each row against the collection's schema before sending it, and
            // reports a row that does not fit (a vector of the wrong dimension) as a ParamException.
            return true;
        }
        int server = milvus.getServerErrCode();
        return milvus.getErrorCode() == ErrorCode.SERVER_ERROR && server >= FIRST_PARAMETER_CODE
                && server <= LAST_PARAMETER_CODE;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
