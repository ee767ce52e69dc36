package com.datarsync.common.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's memory, which Micrometer's own binders leave out (they cover the JVM, the process
 * and the CPU): {@code system_memory_total_bytes} and {@code system_memory_available_bytes}, the
 * latter Linux's MemAvailable (free plus what the page cache can give back), else the free memory
 * the JVM reports. For the host alert rule (docs/monitoring.md).
 */
public final class HostMemoryMetrics implements MeterBinder {

    private static final Path MEMINFO = Path.of("/proc/meminfo");

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            return;
        }
        Gauge.builder("system.memory.total", os, o -> o.getTotalMemorySize()).baseUnit("bytes")
                .description("The host's physical memory").register(registry);
        Gauge.builder("system.memory.available", os, HostMemoryMetrics::available).baseUnit("bytes")
                .description("Memory the host can give to new work without swapping").register(registry);
    }

    static double available(com.sun.management.OperatingSystemMXBean os) {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // Fall through to what the JVM knows.
        }
        return os.getFreeMemorySize();
    }
}
