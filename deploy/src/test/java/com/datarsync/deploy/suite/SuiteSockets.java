package com.datarsync.deploy.suite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The TCP sockets the suite's processes listen on, read from /proc as {@code ss -ltnp} reads
 * them: the processes are the ones the script started (their PIDs in {@code <work>/run/*.pid},
 * each a session leader through setsid) and every process in their sessions (Milvus Lite's
 * server, for one, is a child).
 */
final class SuiteSockets {

    private SuiteSockets() {
    }

    /** Listening address ("127.0.0.1:8080", "[::]:9086") to the name of the process holding it. */
    static Map<String, String> listening(Path runFolder) throws IOException {
        Map<Long, String> sessions = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(runFolder, "*.pid")) {
            for (Path pidFile : pids) {
                List<String> lines = Files.readAllLines(pidFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    sessions.put(Long.parseLong(lines.get(0).trim()),
                            pidFile.getFileName().toString().replace(".pid", ""));
                }
            }
        }
        Map<String, String> inodeOwner = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                String owner = sessions.get(session(proc));
                if (owner != null) {
                    for (String inode : socketInodes(proc)) {
                        inodeOwner.put(inode, owner);
                    }
                }
            }
        }
        Map<String, String> listening = new TreeMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                // f[1] local address, f[3] state (0A: LISTEN), f[9] inode.
                if (f.length > 9 && "0A".equals(f[3]) && inodeOwner.containsKey(f[9])) {
                    listening.put(address(f[1]), inodeOwner.get(f[9]));
                }
            }
        }
        return listening;
    }

    static boolean wildcard(String address) {
        return address.startsWith("0.0.0.0:") || address.startsWith("[::]:");
    }

    /** The session id, field 6 of /proc/PID/stat (after the command name in parentheses). */
    private static long session(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[3]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    private static Set<String> socketInodes(Path proc) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closed) {
                    // The descriptor closed while we looked.
                }
            }
        } catch (IOException gone) {
            // The process ended while we looked.
        }
        return inodes;
    }

    /** "0100007F:1F90" (IPv4, little-endian words) or 32 hex digits (IPv6) to text. */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String ip = parts[0];
        if (ip.length() == 8) {
            return Integer.parseInt(ip.substring(6, 8), 16) + "." + Integer.parseInt(ip.substring(4, 6), 16) + "."
                    + Integer.parseInt(ip.substring(2, 4), 16) + "." + Integer.parseInt(ip.substring(0, 2), 16) + ":" + port;
        }
        if (ip.equals("0".repeat(32))) {
            return "[::]:" + port;
        }
        if (ip.startsWith("0000000000000000FFFF0000")) {
            return address(ip.substring(24) + ":" + parts[1]);
        }
        StringBuilder v6 = new StringBuilder("[");
        for (int word = 0; word < 4; word++) {
            String w = ip.substring(word * 8, word * 8 + 8);
            // Each 32-bit word is little-endian.
            String be = w.substring(6, 8) + w.substring(4, 6) + w.substring(2, 4) + w.substring(0, 2);
            v6.append(be, 0, 4).append(':').append(be, 4, 8).append(word < 3 ? ":" : "");
        }
        return v6.append("]:").append(port).toString();
    }
}
