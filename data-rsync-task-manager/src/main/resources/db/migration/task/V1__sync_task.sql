-- Sync task definitions and their lifecycle state, owned by data-rsync-task-manager.
CREATE TABLE sync_task (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    name            VARCHAR(128) NOT NULL,
    definition_json JSON         NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    status_reason   VARCHAR(1024),
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    version         BIGINT       NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
