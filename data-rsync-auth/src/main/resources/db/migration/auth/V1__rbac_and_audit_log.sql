-- Role-based access control and the tamper-evident audit log, owned by data-rsync-auth.
CREATE TABLE auth_permission (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    code        VARCHAR(64)  NOT NULL,
    description VARCHAR(255) NOT NULL,
    CONSTRAINT uk_auth_permission_code UNIQUE (code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE auth_role (
    id      BIGINT AUTO_INCREMENT PRIMARY KEY,
    code    VARCHAR(64)  NOT NULL,
    name_en VARCHAR(128) NOT NULL,
    name_zh VARCHAR(128) NOT NULL,
    CONSTRAINT uk_auth_role_code UNIQUE (code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE auth_role_permission (
    role_id       BIGINT NOT NULL,
    permission_id BIGINT NOT NULL,
    PRIMARY KEY (role_id, permission_id),
    CONSTRAINT fk_arp_role FOREIGN KEY (role_id) REFERENCES auth_role (id) ON DELETE CASCADE,
    CONSTRAINT fk_arp_permission FOREIGN KEY (permission_id) REFERENCES auth_permission (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE auth_user (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    display_name  VARCHAR(128),
    enabled       BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    version       BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT uk_auth_user_username UNIQUE (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE auth_user_role (
    user_id BIGINT NOT NULL,
    role_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, role_id),
    CONSTRAINT fk_aur_user FOREIGN KEY (user_id) REFERENCES auth_user (id) ON DELETE CASCADE,
    CONSTRAINT fk_aur_role FOREIGN KEY (role_id) REFERENCES auth_role (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- Each entry's hash covers the previous entry's hash, so editing or removing a row breaks
-- the chain from that row on (checked by AuditTrail.verify).
CREATE TABLE audit_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    occurred_at TIMESTAMP(3) NOT NULL,
    actor       VARCHAR(64)  NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    resource    VARCHAR(255) NOT NULL,
    outcome     VARCHAR(16)  NOT NULL,
    detail      TEXT,
    prev_hash   VARCHAR(64)  NOT NULL,
    entry_hash  VARCHAR(64)  NOT NULL,
    CONSTRAINT uk_audit_log_hash UNIQUE (entry_hash),
    -- one successor per entry: concurrent appends cannot fork the chain
    CONSTRAINT uk_audit_log_prev UNIQUE (prev_hash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The chain's head: appenders lock this one row (SELECT ... FOR UPDATE), so appends from any
-- number of instances queue up instead of racing for the same predecessor.
CREATE TABLE audit_chain_head (
    id        TINYINT     NOT NULL PRIMARY KEY,
    last_hash VARCHAR(64) NOT NULL
) ENGINE = InnoDB;
INSERT INTO audit_chain_head (id, last_hash) VALUES (1, REPEAT('0', 64));

INSERT INTO auth_permission (code, description) VALUES
    ('datasource:read',  'View data sources'),
    ('datasource:write', 'Create, change and delete data sources'),
    ('task:read',        'View sync tasks and their progress'),
    ('task:write',       'Create, change and delete sync tasks'),
    ('task:operate',     'Start, stop and retry sync tasks'),
    ('monitor:read',     'View metrics and alerts'),
    ('alert:write',      'Manage alert rules and channels'),
    ('user:admin',       'Manage users and roles'),
    ('audit:read',       'Read the audit log');

INSERT INTO auth_role (code, name_en, name_zh) VALUES
    ('ADMIN',    'Administrator', '管理员'),
    ('OPERATOR', 'Operator',      '运维人员'),
    ('VIEWER',   'Viewer',        '只读用户');

INSERT INTO auth_role_permission (role_id, permission_id)
SELECT r.id, p.id FROM auth_role r CROSS JOIN auth_permission p WHERE r.code = 'ADMIN';

INSERT INTO auth_role_permission (role_id, permission_id)
SELECT r.id, p.id FROM auth_role r JOIN auth_permission p
    ON p.code IN ('datasource:read', 'datasource:write', 'task:read', 'task:write', 'task:operate',
                  'monitor:read', 'alert:write')
WHERE r.code = 'OPERATOR';

INSERT INTO auth_role_permission (role_id, permission_id)
SELECT r.id, p.id FROM auth_role r JOIN auth_permission p
    ON p.code IN ('datasource:read', 'task:read', 'monitor:read')
WHERE r.code = 'VIEWER';
