package com.datarsync.datasource.web;

import com.datarsync.common.web.DataPermissions;
import com.datarsync.datasource.service.SourceMetadata;

import com.datarsync.datasource.domain.DataSource;
import com.datarsync.datasource.domain.DataSourceRules;
import com.datarsync.datasource.domain.SourceHealth;
import com.datarsync.datasource.service.SourceHealthChecks;
import com.datarsync.datasource.service.ConnectionTester;
import com.datarsync.datasource.service.DataSourceService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/datasources} (docs/data-sources.md). No answer carries a credential, not even its
 * cipher text: a view says only whether a password is stored.
 */
@RestController
@RequestMapping("/api/datasources")
public class DataSourceController {

    private final DataSourceService sources;
    private final SourceHealthChecks health;
    private final com.datarsync.datasource.service.ConnectionTestQuota quota;

    public DataSourceController(DataSourceService sources, SourceHealthChecks health,
            com.datarsync.datasource.service.ConnectionTestQuota quota) {
        this.sources = sources;
        this.health = health;
        this.quota = quota;
    }

    /** The sources the caller may see: all of them, or those assigned to the caller. */
    @GetMapping
    public List<DataSourceView> list() {
        DataPermissions scope = DataPermissions.current();
        Map<Long, SourceHealth> known = health.all();
        return sources.list().stream().filter(s -> scope.covers(s.getId()))
                .map(s -> DataSourceView.of(s, s.isEnabled() ? known.get(s.getId()) : null)).toList();
    }

    /** Registering a source needs a role that sees every source; an administrator then assigns it. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public DataSourceView create(@RequestBody DataSourceRules.Fields fields) {
        DataPermissions.current().requireAll("Registering a data source");
        return view(sources.create(fields));
    }

    @GetMapping("/{id}")
    public DataSourceView get(@PathVariable long id) {
        return view(sources.get(assigned(id)));
    }

    @PutMapping("/{id}")
    public DataSourceView update(@PathVariable long id, @RequestBody DataSourceRules.Fields fields) {
        return view(sources.update(assigned(id), fields));
    }

    @DeleteMapping("/{id}")
    public Map<String, Object> delete(@PathVariable long id) {
        sources.delete(assigned(id));
        return Map.of("id", id, "deleted", true);
    }

    @PostMapping("/{id}/enable")
    public DataSourceView enable(@PathVariable long id) {
        return view(sources.enable(assigned(id), true));
    }

    @PostMapping("/{id}/disable")
    public DataSourceView disable(@PathVariable long id) {
        return view(sources.enable(assigned(id), false));
    }

    /** Tests a registered source with its stored credential. */
    @PostMapping("/{id}/test")
    public ConnectionTester.Result test(@PathVariable long id) {
        long source = assigned(id);
        quota.acquire();
        return sources.test(source);
    }

    /** Tests a source before it is saved (the body of a create). */
    @PostMapping("/test")
    public ConnectionTester.Result test(@RequestBody DataSourceRules.Fields fields) {
        DataPermissions.current().requireAll("Testing an unregistered data source");
        quota.acquire();
        return sources.test(fields);
    }

    @GetMapping("/{id}/schemas")
    public List<String> schemas(@PathVariable long id) {
        return sources.schemas(assigned(id));
    }

    @GetMapping("/{id}/schemas/{schema}/tables")
    public List<SourceMetadata.Table> tables(@PathVariable long id, @PathVariable String schema) {
        return sources.tables(assigned(id), schema);
    }

    @GetMapping("/{id}/schemas/{schema}/tables/{table}/columns")
    public List<SourceMetadata.Column> columns(@PathVariable long id, @PathVariable String schema,
                                               @PathVariable String table) {
        return sources.columns(assigned(id), schema, table);
    }

    /**
     * The text a template would embed for the table's first rows, as data-process renders it
     * (the task wizard's live preview); reads only the key and the template's columns.
     */
    @GetMapping("/{id}/schemas/{schema}/tables/{table}/preview")
    public com.datarsync.datasource.service.TemplatePreview.Preview preview(@PathVariable long id,
            @PathVariable String schema, @PathVariable String table, @RequestParam String template,
            @RequestParam(defaultValue = "5") int limit) {
        return sources.preview(assigned(id), schema, table, template, limit);
    }

    /** Step 2 of a key rotation: re-seals every credential still under an older key. */
    @PostMapping("/credentials/reseal")
    public Map<String, Object> reseal() {
        DataPermissions.current().requireAll("Re-sealing credentials");
        return Map.of("resealed", sources.reseal());
    }

    private DataSourceView view(DataSource s) {
        return DataSourceView.of(s, s.isEnabled() ? health.of(s.getId()).orElse(null) : null);
    }

    /** The id, once the caller is known to hold it: a source not assigned answers 403, existing or not. */
    private static long assigned(long id) {
        DataPermissions.current().require(id);
        return id;
    }

    /** @param health the last periodic check (null: not checked yet, or disabled) */
    public record DataSourceView(Long id, String name, String kind, String host, int port, String database,
            String username, boolean passwordStored, boolean enabled, String description, Instant createdAt,
            Instant updatedAt, SourceHealth health) {
        static DataSourceView of(DataSource s, SourceHealth health) {
            return new DataSourceView(s.getId(), s.getName(), s.getKind(), s.getHost(), s.getPort(),
                    s.getDatabaseName(), s.getUsername(), s.getCredentialCipher() != null, s.isEnabled(),
                    s.getDescription(), s.getCreatedAt(), s.getUpdatedAt(), health);
        }
    }
}
