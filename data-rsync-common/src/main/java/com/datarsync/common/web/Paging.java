package com.datarsync.common.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.util.Map;

/** The page and size of a list request, made safe: clamped into range, the offset within int. */
public final class Paging {

    private Paging() {
    }

    /** {@code page} at least 0; {@code size} between 1 and {@code maxSize}. */
    public record Page(int page, int size) {
    }

    /**
     * Clamps page and size; a page so far that its first row lies beyond 2^31 rows is refused
     * (400): no list here is that long, and the databases cannot skip that far.
     */
    public static Page of(int page, int size, int maxSize) {
        Page p = new Page(Math.max(page, 0), Math.min(Math.max(size, 1), maxSize));
        if ((long) p.page() * p.size() > Integer.MAX_VALUE) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "page: " + page + " pages of " + p.size()
                    + " lie beyond any list", Map.of("fields", Map.of("page", "too far")), null);
        }
        return p;
    }
}
