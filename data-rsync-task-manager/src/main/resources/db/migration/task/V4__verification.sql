-- Verifications of a task (source compared with Milvus) and their repairs, stored with the run
-- that was open when they ran.
CREATE TABLE task_verification (
    id                BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    task_id           VARCHAR(64)   NOT NULL,
    run_id            BIGINT        NULL,
    trigger_type      VARCHAR(16)   NOT NULL,
    state             VARCHAR(16)   NOT NULL,
    sample_size       INT           NOT NULL,
    started_at        TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    ended_at          TIMESTAMP(3)  NULL,
    report_json       LONGTEXT      NULL,
    error_code        VARCHAR(16)   NULL,
    error_message     VARCHAR(1024) NULL,
    repair_state      VARCHAR(16)   NULL,
    repair_started_at TIMESTAMP(3)  NULL,
    repair_ended_at   TIMESTAMP(3)  NULL,
    repair_json       LONGTEXT      NULL,
    KEY task_verification_task (task_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
