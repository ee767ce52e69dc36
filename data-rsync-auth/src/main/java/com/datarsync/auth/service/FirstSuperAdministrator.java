package com.datarsync.auth.service;

import com.datarsync.auth.settings.AuthSettings;
import com.datarsync.auth.domain.UserAccount;
import com.datarsync.auth.infra.RoleRepository;
import com.datarsync.auth.infra.UserAccountRepository;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At the first start (no super administrator exists) creates one from the environment:
 * DATARSYNC_ADMIN_USERNAME (default "admin") and DATARSYNC_ADMIN_PASSWORD, which the repository
 * never holds (the local suite generates one into its secrets file). Afterwards the variable is
 * ignored: the password is changed through the API.
 */
@Component
public class FirstSuperAdministrator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstSuperAdministrator.class);

    private final AuthSettings settings;
    private final UserAccountRepository users;
    private final RoleRepository roles;
    private final PasswordEncoder passwords;
    private final TransactionTemplate transaction;
    private final AuditRecorder audit;
    private final Clock clock;

    public FirstSuperAdministrator(AuthSettings settings, UserAccountRepository users, RoleRepository roles,
                                   PasswordEncoder passwords, TransactionTemplate transaction, AuditRecorder audit,
                                   Clock clock) {
        this.settings = settings;
        this.users = users;
        this.roles = roles;
        this.passwords = passwords;
        this.transaction = transaction;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.existsWithRole(UserAccounts.SUPER_ADMIN)) {
            return;
        }
        String username = settings.bootstrap().username();
        String password = settings.bootstrap().password();
        if (password == null || password.isBlank()) {
            // Worded so the variable's name ends the line: the log masker would hide a word after it.
            log.warn("No super administrator exists, so nobody can log in: start auth once with DATARSYNC_ADMIN_PASSWORD");
            return;
        }
        List<String> wrong = PasswordPolicy.violations(username, password);
        if (!wrong.isEmpty()) {
            log.error("No super administrator created: the policy refuses what was given ({}); change DATARSYNC_ADMIN_PASSWORD",
                    String.join("; ", wrong));
            return;
        }
        try {
            transaction.executeWithoutResult(s -> {
                UserAccount admin = new UserAccount(username, passwords.encode(password), clock.instant());
                admin.change("Super administrator", Set.of(roles.findByCode(UserAccounts.SUPER_ADMIN).orElseThrow()),
                        Set.of(), true, clock.instant());
                users.saveAndFlush(admin);
            });
            audit.record("system", "user.create", "user:" + username, true, null, Map.of("roles", "SUPER_ADMIN",
                    "reason", "first start"));
            log.info("Created the first super administrator '{}'", username);
        } catch (DataIntegrityViolationException e) {
            log.info("Another instance created the first super administrator");
        }
    }
}
