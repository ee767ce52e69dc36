package com.datarsync.deploy.suite;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of changes: a change to each table every 200 ms (or the interval given); a
 * change the database refuses (it is down) is skipped.
 */
final class ChangeWriter {
    private final List<E2eTable> tables;
    private final long intervalMs;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean paused = new AtomicBoolean(false);
    private final AtomicInteger applied = new AtomicInteger();
    private final Object idle = new Object();
    private boolean writing;
    private final Thread thread = new Thread(this::loop, "change-writer");

    ChangeWriter(List<E2eTable> tables) {
        this(tables, 200);
    }

    ChangeWriter(List<E2eTable> tables, long intervalMs) {
        this.tables = tables;
        this.intervalMs = intervalMs;
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            synchronized (idle) {
                writing = !paused.get();
            }
            if (writing) {
                for (E2eTable table : tables) {
                    try {
                        table.change(1);
                        applied.incrementAndGet();
                    } catch (Exception down) {
                        // The database is restarting: this change is not made, the next one may be.
                    }
                }
            }
            synchronized (idle) {
                writing = false;
                idle.notifyAll();
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops writing and waits until no change is in progress, so the source holds still. */
    void pause() throws InterruptedException {
        paused.set(true);
        synchronized (idle) {
            while (writing) {
                idle.wait();
            }
        }
    }

    void resume() {
        paused.set(false);
    }

    int applied() {
        return applied.get();
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(10_000);
    }
}
