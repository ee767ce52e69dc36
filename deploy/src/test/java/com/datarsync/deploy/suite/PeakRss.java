package com.datarsync.deploy.suite;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The highest resident memory of the suite's processes while a measurement runs, read from
 * {@code /proc/<pid>/status} (VmRSS) four times a second: unlike VmHWM it leaves out what
 * earlier tests made a process hold.
 */
final class PeakRss implements AutoCloseable {

    private final List<String> names;
    private final Map<String, Long> peakKb = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    PeakRss(List<String> names) {
        this.names = names;
        sampler.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        for (String name : names) {
            try {
                SuiteProcesses.procStatusKb(name, "VmRSS").ifPresent(kb -> peakKb.merge(name, kb, Math::max));
            } catch (IOException | RuntimeException e) {
                // a process restarting between two samples: the next sample reads it
            }
        }
    }

    /** "name N MB, ..." in the order the names were given. */
    String summary() {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            Long kb = peakKb.get(name);
            out.append(out.isEmpty() ? "" : ", ").append(name).append(' ').append(kb == null ? "n/a" : kb / 1024 + " MB");
        }
        return out.toString();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
