package com.datarsync.datasource.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.datasource.domain.DataSource;
import com.datarsync.datasource.service.DataSourceService;
import com.datarsync.datasource.service.SourceNetworks;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The suite's own view of a data source, behind the internal credential ({@code /internal/**}
 * takes nothing else, and the gateway has no route to it). The task manager reads what a task
 * definition copies (kind, database); the log-listener reads the connection, password included,
 * each time it connects for a task, and keeps it in memory only.
 */
@RestController
@RequestMapping("/internal/datasources")
public class InternalDataSourceController {

    private final DataSourceService sources;
    private final SourceNetworks networks;

    public InternalDataSourceController(DataSourceService sources, SourceNetworks networks) {
        this.sources = sources;
        this.networks = networks;
    }

    @GetMapping("/{id}")
    public Descriptor describe(@PathVariable long id) {
        DataSource s = sources.get(id);
        return new Descriptor(s.getId(), s.getName(), s.getKind(), s.getDatabaseName(), s.isEnabled());
    }

    @GetMapping("/{id}/connection")
    public Connection connection(@PathVariable long id) {
        DataSource s = sources.get(id);
        // Checked again as the listener is about to connect: the name may resolve elsewhere by now.
        String refused = networks.refusal(s.getHost());
        if (refused != null) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The source's host is refused: " + s.getHost()
                    + ": " + refused, Map.of("id", id), null);
        }
        return new Connection(s.getId(), s.getKind(), s.getHost(), s.getPort(), s.getDatabaseName(), s.getUsername(),
                sources.password(s), s.isEnabled());
    }

    public record Descriptor(long id, String name, String kind, String database, boolean enabled) {
    }

    /** Never logged: {@code toString} leaves the password out. */
    public record Connection(long id, String kind, String host, int port, String database, String username,
            String password, boolean enabled) {
        @Override
        public String toString() {
            return "Connection[id=" + id + ", kind=" + kind + ", host=" + host + ", port=" + port + "]";
        }
    }
}
