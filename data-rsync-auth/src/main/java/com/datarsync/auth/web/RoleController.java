package com.datarsync.auth.web;

import com.datarsync.auth.service.RoleCatalog;
import com.datarsync.auth.service.RoleCatalog.RoleSummary;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/auth/roles")
public class RoleController {

    private final RoleCatalog catalog;

    public RoleController(RoleCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    public List<RoleSummary> list() {
        return catalog.list();
    }
}
