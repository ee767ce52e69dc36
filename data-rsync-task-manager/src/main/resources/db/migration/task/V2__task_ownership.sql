-- The task manager owns every task: desired state and generation, what the supervisor observed,
-- runs and their execution logs. Version 1's sync_task was never written by anything.
DROP TABLE IF EXISTS sync_task;

CREATE TABLE sync_task (
    id                    VARCHAR(64)   NOT NULL PRIMARY KEY,
    name                  VARCHAR(128)  NOT NULL,
    description           VARCHAR(1024),
    definition_json       LONGTEXT      NOT NULL,
    owner                 VARCHAR(64),
    priority              INT           NOT NULL DEFAULT 0,
    schedule_cron         VARCHAR(128),
    depends_on            VARCHAR(2048) NOT NULL DEFAULT '',
    desired_state         VARCHAR(16)   NOT NULL,
    generation            BIGINT        NOT NULL,
    state                 VARCHAR(16)   NOT NULL,
    state_code            VARCHAR(16),
    state_message         VARCHAR(1024),
    state_since           TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    retry_attempts        INT           NOT NULL DEFAULT 0,
    retrying_since        TIMESTAMP(3)  NULL,
    next_retry_at         TIMESTAMP(3)  NULL,
    snapshot_completed_at TIMESTAMP(3)  NULL,
    created_at            TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at            TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    version               BIGINT        NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE task_run (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    task_id          VARCHAR(64)   NOT NULL,
    generation       BIGINT        NOT NULL,
    trigger_type     VARCHAR(16)   NOT NULL,
    mode             VARCHAR(32)   NOT NULL,
    started_at       TIMESTAMP(3)  NOT NULL,
    ended_at         TIMESTAMP(3)  NULL,
    outcome          VARCHAR(16)   NOT NULL,
    rows_snapshotted BIGINT        NOT NULL DEFAULT 0,
    rows_inserted    BIGINT        NOT NULL DEFAULT 0,
    rows_updated     BIGINT        NOT NULL DEFAULT 0,
    rows_deleted     BIGINT        NOT NULL DEFAULT 0,
    texts_embedded   BIGINT        NOT NULL DEFAULT 0,
    dead_letters     BIGINT        NOT NULL DEFAULT 0,
    stage_counters   LONGTEXT      NOT NULL,
    error_code       VARCHAR(16),
    error_message    VARCHAR(1024),
    KEY task_run_by_task (task_id, started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE task_run_log (
    id       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    run_id   BIGINT        NOT NULL,
    task_id  VARCHAR(64)   NOT NULL,
    at       TIMESTAMP(3)  NOT NULL,
    level    VARCHAR(8)    NOT NULL,
    message  VARCHAR(2048) NOT NULL,
    KEY task_run_log_by_run (run_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
