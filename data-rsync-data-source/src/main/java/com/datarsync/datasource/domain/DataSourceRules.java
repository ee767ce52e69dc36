package com.datarsync.datasource.domain;

import com.datarsync.common.task.SourceKind;

import com.datarsync.common.task.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a data source's fields may hold. Host, port and database become part of a connection
 * address, so they are held to a strict shape: nothing in them can add driver parameters
 * ({@code ?}, {@code &}, {@code ;}, {@code /}, {@code @}) or a second host.
 */
public final class DataSourceRules {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.\\-]{0,127}");
    /** RFC 1123 host names, IPv4, and IPv6 without brackets. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DATABASE = Pattern.compile("[\\p{L}\\p{N}_$\\-]{1,128}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private DataSourceRules() {
    }

    /** A data source as an operator gives it; {@code password} may be absent on an update (kept). */
    public record Fields(String name, String kind, String host, Integer port, String database, String username,
            String password, String description) {
    }

    public static List<FieldViolation> check(Fields f, boolean creating) {
        List<FieldViolation> out = new ArrayList<>();
        if (f.name() == null || !NAME.matcher(f.name()).matches()) {
            out.add(new FieldViolation("name", "1 to 128 letters, digits, spaces, '_', '.' or '-', starting with a letter or digit"));
        }
        SourceKind type = f.kind() == null ? null : SourceKind.byId(f.kind()).orElse(null);
        if (type == null) {
            out.add(new FieldViolation("kind", "one of " + String.join(", ", SourceKind.ids())));
        }
        if (!validHost(f.host())) {
            out.add(new FieldViolation("host", "a host name or an IP address, nothing else"));
        }
        if (f.port() != null && (f.port() < 1 || f.port() > 65_535)) {
            out.add(new FieldViolation("port", "a port from 1 to 65535 (leave it out for the kind's default)"));
        }
        if (f.database() != null && !DATABASE.matcher(f.database()).matches()) {
            out.add(new FieldViolation("database", "1 to 128 letters, digits, '_', '$' or '-'"));
        } else if (f.database() == null && type != null && type.needsDatabase()) {
            out.add(new FieldViolation("database", "required for " + type.id()));
        }
        if (f.username() != null && (f.username().isEmpty() || f.username().length() > 128
                || CONTROL.matcher(f.username()).find())) {
            out.add(new FieldViolation("username", "1 to 128 characters, no control characters"));
        }
        if (creating && type != null && type != SourceKind.REDIS && f.username() == null) {
            out.add(new FieldViolation("username", "required for " + type.id()));
        }
        if (f.password() != null && (f.password().length() > 1024 || CONTROL.matcher(f.password()).find())) {
            out.add(new FieldViolation("password", "at most 1024 characters, no control characters"));
        }
        if (creating && f.password() == null && type != SourceKind.REDIS) {
            out.add(new FieldViolation("password", "required"));
        }
        if (f.description() != null && f.description().length() > 512) {
            out.add(new FieldViolation("description", "at most 512 characters"));
        }
        return out;
    }

    static boolean validHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        return host.contains(":") ? IPV6.matcher(host).matches() : HOST_NAME.matcher(host).matches();
    }
}
