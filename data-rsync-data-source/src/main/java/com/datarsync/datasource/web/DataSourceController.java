package com.datarsync.datasource.web;

import com.datarsync.datasource.domain.DataSource;
import com.datarsync.datasource.infra.DataSourceRepository;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/datasources")
public class DataSourceController {

    private final DataSourceRepository sources;

    public DataSourceController(DataSourceRepository sources) {
        this.sources = sources;
    }

    /** Lists registered sources; the answer never carries a credential, not even its cipher text. */
    @GetMapping
    public List<DataSourceView> list() {
        return sources.findAllByOrderByNameAsc().stream().map(DataSourceView::of).toList();
    }

    public record DataSourceView(Long id, String name, String kind, String host, int port, String database,
                                 String username, Instant createdAt) {
        static DataSourceView of(DataSource s) {
            return new DataSourceView(s.getId(), s.getName(), s.getKind(), s.getHost(), s.getPort(),
                    s.getDatabaseName(), s.getUsername(), s.getCreatedAt());
        }
    }
}
