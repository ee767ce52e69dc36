package com.datarsync.datasource.web;

import com.datarsync.datasource.domain.DataSource;
import com.datarsync.datasource.domain.DataSourceRules;
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

    public DataSourceController(DataSourceService sources) {
        this.sources = sources;
    }

    @GetMapping
    public List<DataSourceView> list() {
        return sources.list().stream().map(DataSourceView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public DataSourceView create(@RequestBody DataSourceRules.Fields fields) {
        return DataSourceView.of(sources.create(fields));
    }

    @GetMapping("/{id}")
    public DataSourceView get(@PathVariable long id) {
        return DataSourceView.of(sources.get(id));
    }

    @PutMapping("/{id}")
    public DataSourceView update(@PathVariable long id, @RequestBody DataSourceRules.Fields fields) {
        return DataSourceView.of(sources.update(id, fields));
    }

    @DeleteMapping("/{id}")
    public Map<String, Object> delete(@PathVariable long id) {
        sources.delete(id);
        return Map.of("id", id, "deleted", true);
    }

    @PostMapping("/{id}/enable")
    public DataSourceView enable(@PathVariable long id) {
        return DataSourceView.of(sources.enable(id, true));
    }

    @PostMapping("/{id}/disable")
    public DataSourceView disable(@PathVariable long id) {
        return DataSourceView.of(sources.enable(id, false));
    }

    /** Tests a registered source with its stored credential. */
    @PostMapping("/{id}/test")
    public ConnectionTester.Result test(@PathVariable long id) {
        return sources.test(id);
    }

    /** Tests a source before it is saved (the body of a create). */
    @PostMapping("/test")
    public ConnectionTester.Result test(@RequestBody DataSourceRules.Fields fields) {
        return sources.test(fields);
    }

    @GetMapping("/{id}/schemas")
    public List<String> schemas(@PathVariable long id) {
        return sources.schemas(id);
    }

    @GetMapping("/{id}/schemas/{schema}/tables")
    public List<com.datarsync.datasource.service.SourceMetadata.Table> tables(@PathVariable long id, @PathVariable String schema) {
        return sources.tables(id, schema);
    }

    @GetMapping("/{id}/schemas/{schema}/tables/{table}/columns")
    public List<com.datarsync.datasource.service.SourceMetadata.Column> columns(@PathVariable long id, @PathVariable String schema, @PathVariable String table) {
        return sources.columns(id, schema, table);
    }

    /** Step 2 of a key rotation: re-seals every credential still under an older key. */
    @PostMapping("/credentials/reseal")
    public Map<String, Object> reseal() {
        return Map.of("resealed", sources.reseal());
    }

    public record DataSourceView(Long id, String name, String kind, String host, int port, String database,
            String username, boolean passwordStored, boolean enabled, String description, Instant createdAt,
            Instant updatedAt) {
        static DataSourceView of(DataSource s) {
            return new DataSourceView(s.getId(), s.getName(), s.getKind(), s.getHost(), s.getPort(),
                    s.getDatabaseName(), s.getUsername(), s.getCredentialCipher() != null, s.isEnabled(),
                    s.getDescription(), s.getCreatedAt(), s.getUpdatedAt());
        }
    }
}
