-- Users log in; the four built-in roles of the architecture document plus custom roles; data
-- permissions (which data sources a user may see and act on, and the tasks built on them).

-- data_scope ALL: every data source; ASSIGNED: only the sources listed for the user.
ALTER TABLE auth_role
    ADD COLUMN builtin    BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN data_scope VARCHAR(16) NOT NULL DEFAULT 'ASSIGNED';

ALTER TABLE auth_user
    ADD COLUMN password_changed_at TIMESTAMP(3) NULL,
    ADD COLUMN updated_at          TIMESTAMP(3) NULL;

CREATE TABLE auth_user_datasource (
    user_id       BIGINT NOT NULL,
    datasource_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, datasource_id),
    CONSTRAINT fk_aud_user FOREIGN KEY (user_id) REFERENCES auth_user (id) ON DELETE CASCADE
) ENGINE = InnoDB;

UPDATE auth_permission SET code = 'user:write', description = 'Create, change, disable and delete users; reset their passwords'
WHERE code = 'user:admin';

INSERT INTO auth_permission (code, description) VALUES
    ('user:read', 'View users and roles'),
    ('role:write', 'Create, change and delete custom roles');

INSERT INTO auth_role (code, name_en, name_zh) VALUES ('SUPER_ADMIN', 'Super administrator', '超级管理员');
UPDATE auth_role SET builtin = TRUE;
UPDATE auth_role SET name_zh = '操作员' WHERE code = 'OPERATOR';
UPDATE auth_role SET name_zh = '查看员' WHERE code = 'VIEWER';
UPDATE auth_role SET data_scope = 'ALL' WHERE code IN ('SUPER_ADMIN', 'ADMIN');

-- Super administrator: everything. Administrator: everything but defining roles.
DELETE FROM auth_role_permission WHERE role_id IN (SELECT id FROM auth_role WHERE code IN ('SUPER_ADMIN', 'ADMIN'));
INSERT INTO auth_role_permission (role_id, permission_id)
SELECT r.id, p.id FROM auth_role r CROSS JOIN auth_permission p WHERE r.code = 'SUPER_ADMIN';
INSERT INTO auth_role_permission (role_id, permission_id)
SELECT r.id, p.id FROM auth_role r JOIN auth_permission p ON p.code <> 'role:write' WHERE r.code = 'ADMIN';
