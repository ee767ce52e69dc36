package com.datarsync.datasource.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.FieldViolation;
import com.datarsync.datasource.domain.DataSource;
import com.datarsync.datasource.domain.DataSourceRules;
import com.datarsync.common.task.SourceKind;
import com.datarsync.datasource.infra.CredentialCipher;
import com.datarsync.datasource.infra.DataSourceRepository;
import com.datarsync.datasource.infra.TaskReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * The data-source registry: create, change, enable or disable, delete, and test sources. The
 * credential is sealed by {@link CredentialCipher} before it is stored and opened only to test
 * the connection; no answer and no log line carries it.
 */
@Service
public class DataSourceService {

    private static final Logger log = LoggerFactory.getLogger(DataSourceService.class);

    private final DataSourceRepository sources;
    private final CredentialCipher cipher;
    private final ConnectionTester tester;
    private final SourceNetworks networks;
    private final TaskReferences tasks;

    public DataSourceService(DataSourceRepository sources, CredentialCipher cipher, ConnectionTester tester,
            TaskReferences tasks, SourceNetworks networks) {
        this.sources = sources;
        this.cipher = cipher;
        this.tester = tester;
        this.tasks = tasks;
        this.networks = networks;
    }

    public List<DataSource> list() {
        return sources.findAllByOrderByNameAsc();
    }

    public DataSource get(long id) {
        return sources.findById(id).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND,
                "No data source " + id, Map.of("id", id), null));
    }

    public DataSource create(DataSourceRules.Fields f) {
        checked(f, true);
        SourceKind type = SourceKind.byId(f.kind()).orElseThrow();
        DataSource saved = save(new DataSource(f.name(), type.id(), f.host(), port(f, type), f.database(), f.username(),
                f.password() == null ? null : cipher.encrypt(f.password()), f.description()));
        log.info("Data source {} ({}) created: {} {}:{}", saved.getId(), saved.getName(), type.id(), f.host(),
                saved.getPort());
        return saved;
    }

    /**
     * Changes a source; a request without {@code password} keeps the stored one, but only while
     * the password stays with the address and login it was given for: a new kind, host, port,
     * database or username needs the password again, so a stored password is never sent anywhere
     * else (by a connection test, a health check or a task). Host, port, user and password may
     * change under tasks (they take effect at each task's next connection); kind and database may
     * not while a task uses the source, as its definition names tables in them.
     */
    public DataSource update(long id, DataSourceRules.Fields f) {
        DataSource source = get(id);
        checked(f, false);
        SourceKind type = SourceKind.byId(f.kind()).orElseThrow();
        if (f.password() == null && source.getCredentialCipher() != null
                && !sameEndpoint(source, type, f.host(), port(f, type), f.database(), f.username())) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Invalid data source: password: required again "
                    + "when the kind, host, port, database or username changes (the stored one stays with the "
                    + "address it was given for)", Map.of("violations", List.of(new FieldViolation("password",
                    "required again when the kind, host, port, database or username changes"))), null);
        }
        if (!type.id().equals(source.getKind()) || !java.util.Objects.equals(f.database(), source.getDatabaseName())) {
            refuseWhileUsed(source, "change the kind or database of");
        }
        source.update(f.name(), type.id(), f.host(), port(f, type), f.database(), f.username(),
                f.password() == null ? null : cipher.encrypt(f.password()), f.description());
        DataSource saved = save(source);
        log.info("Data source {} ({}) changed{}", id, saved.getName(), f.password() == null ? "" : ", with a new password");
        return saved;
    }

    /** Whether the change keeps the address and login the stored password was given for. */
    private static boolean sameEndpoint(DataSource s, SourceKind kind, String host, int port, String database,
            String username) {
        return kind.id().equals(s.getKind()) && host.equalsIgnoreCase(s.getHost()) && port == s.getPort()
                && java.util.Objects.equals(database, s.getDatabaseName())
                && java.util.Objects.equals(username, s.getUsername());
    }

    public DataSource enable(long id, boolean on) {
        DataSource source = get(id);
        source.enable(on);
        log.info("Data source {} ({}) {}", id, source.getName(), on ? "enabled" : "disabled");
        return sources.save(source);
    }

    /** Deletes a source no task uses; the task manager is asked, and a source in use is refused. */
    public void delete(long id) {
        DataSource source = get(id);
        refuseWhileUsed(source, "delete");
        sources.delete(source);
        log.info("Data source {} ({}) deleted", id, source.getName());
    }

    private void refuseWhileUsed(DataSource source, String action) {
        List<String> using = tasks.tasksUsing(source.getId());
        if (!using.isEmpty()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Cannot " + action + " data source " + source.getId()
                    + " (" + source.getName() + "): tasks use it: " + String.join(", ", using)
                    + ". Delete those tasks or point them at another source first",
                    Map.of("id", source.getId(), "tasks", using), null);
        }
    }

    /** The source's password in clear, for the suite's own connections only (never answered publicly). */
    public String password(DataSource source) {
        return source.getCredentialCipher() == null ? null : cipher.decrypt(source.getCredentialCipher());
    }

    /** Tests a registered source with its stored credential. */
    public ConnectionTester.Result test(long id) {
        DataSource s = get(id);
        return tester.test(new ConnectionTester.Target(SourceKind.byId(s.getKind()).orElseThrow(), s.getHost(),
                s.getPort(), s.getDatabaseName(), s.getUsername(), password(s)));
    }

    /** Tests a source before it is saved. */
    public ConnectionTester.Result test(DataSourceRules.Fields f) {
        checked(f, true);
        SourceKind type = SourceKind.byId(f.kind()).orElseThrow();
        return tester.test(new ConnectionTester.Target(type, f.host(), port(f, type), f.database(), f.username(),
                f.password()));
    }

    /** The source's schemas (MySQL/MariaDB: databases), system ones left out. */
    public List<String> schemas(long id) {
        return browse(id, SourceMetadata::schemas);
    }

    public List<SourceMetadata.Table> tables(long id, String schema) {
        return browse(id, m -> m.tables(schema));
    }

    public List<SourceMetadata.Column> columns(long id, String schema, String table) {
        return browse(id, m -> m.columns(schema, table));
    }

    /** What the template would embed for the table's first rows (console: the task wizard's preview). */
    public TemplatePreview.Preview preview(long id, String schema, String table, String template, int limit) {
        return browse(id, m -> TemplatePreview.of(m.type(), m.connection(), m, schema, table, template, limit));
    }

    private interface Browse<T> {
        T in(SourceMetadata metadata) throws java.sql.SQLException;
    }

    private <T> T browse(long id, Browse<T> what) {
        DataSource s = get(id);
        SourceKind type = SourceKind.byId(s.getKind()).orElseThrow();
        if (!type.isMySqlFamily() && type != SourceKind.POSTGRES) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Browsing " + type.id() + " sources is not supported yet",
                    Map.of("kind", type.id()), null);
        }
        ConnectionTester.Target target = new ConnectionTester.Target(type, s.getHost(), s.getPort(),
                s.getDatabaseName(), s.getUsername(), password(s));
        try (java.sql.Connection c = tester.open(target)) {
            return what.in(new SourceMetadata(type, c, s.getDatabaseName()));
        } catch (SourceNetworks.Refused e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The source's host is refused: " + e.getMessage(),
                    Map.of("id", id), null);
        } catch (java.sql.SQLException e) {
            throw new DataRsyncException(ErrorCode.SOURCE_UNREACHABLE, "The source could not be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("")), Map.of("id", id), null);
        }
    }

    /**
     * Seals every credential still under an older key with the current one (step 2 of a key
     * rotation, docs/data-sources.md); returns how many were re-sealed.
     */
    public int reseal() {
        int count = 0;
        for (DataSource s : sources.findAll()) {
            if (s.getCredentialCipher() != null && !cipher.isCurrent(s.getCredentialCipher())) {
                s.reseal(cipher.encrypt(cipher.decrypt(s.getCredentialCipher())));
                sources.save(s);
                count++;
            }
        }
        log.info("{} data source credentials re-sealed under the current key", count);
        return count;
    }

    private DataSource save(DataSource source) {
        try {
            return sources.saveAndFlush(source);
        } catch (DataIntegrityViolationException e) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "A data source named '" + source.getName()
                    + "' exists already", Map.of("field", "name"), null);
        }
    }

    private static int port(DataSourceRules.Fields f, SourceKind type) {
        return f.port() == null ? type.defaultPort() : f.port();
    }

    private void checked(DataSourceRules.Fields f, boolean creating) {
        List<FieldViolation> problems = new ArrayList<>(DataSourceRules.check(f, creating));
        if (problems.stream().noneMatch(v -> v.field().equals("host"))) {
            String refused = networks.refusal(f.host());
            if (refused != null) {
                problems.add(new FieldViolation("host", refused));
            }
        }
        if (!problems.isEmpty()) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Invalid data source: " + String.join("; ",
                    problems.stream().map(FieldViolation::toString).toList()), Map.of("violations", problems), null);
        }
    }
}
