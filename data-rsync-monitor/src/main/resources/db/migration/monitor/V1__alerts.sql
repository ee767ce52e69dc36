-- Alert channels, rules, silences and the history of every message sent, owned by
-- data-rsync-monitor. A channel's secret is stored encrypted (secret_cipher, AES-256-GCM under
-- DATARSYNC_CHANNEL_KEYS); it never reaches this table in clear, a log or an API answer.
CREATE TABLE alert_channel (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    name          VARCHAR(64)  NOT NULL,
    kind          VARCHAR(32)  NOT NULL,
    settings_json TEXT         NOT NULL,
    secret_cipher TEXT,
    language      VARCHAR(8)   NOT NULL,
    enabled       BOOLEAN      NOT NULL,
    created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    CONSTRAINT uk_alert_channel_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE alert_rule (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    name           VARCHAR(128) NOT NULL,
    kind           VARCHAR(40)  NOT NULL,
    task_id        VARCHAR(200),
    threshold      DOUBLE       NOT NULL,
    for_seconds    INT          NOT NULL,
    repeat_seconds INT          NOT NULL,
    severity       VARCHAR(16)  NOT NULL,
    channels       VARCHAR(1000) NOT NULL,
    enabled        BOOLEAN      NOT NULL,
    created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    CONSTRAINT uk_alert_rule_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE alert_silence (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    rule_id    BIGINT,
    subject    VARCHAR(200),
    ends_at    TIMESTAMP(3) NOT NULL,
    reason     VARCHAR(500) NOT NULL,
    created_by VARCHAR(64)  NOT NULL,
    created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX idx_alert_silence_ends (ends_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per attempt to send one message through one channel, with the channel's answer.
CREATE TABLE alert_notification (
    id        BIGINT AUTO_INCREMENT PRIMARY KEY,
    rule_id   BIGINT        NOT NULL,
    rule_name VARCHAR(128)  NOT NULL,
    severity  VARCHAR(16)   NOT NULL,
    resolved  BOOLEAN       NOT NULL,
    subjects  TEXT          NOT NULL,
    channel   VARCHAR(64)   NOT NULL,
    attempt   INT           NOT NULL,
    delivered BOOLEAN       NOT NULL,
    answer    VARCHAR(1100) NOT NULL,
    sent_at   TIMESTAMP(3)  NOT NULL,
    INDEX idx_alert_notification_sent (sent_at),
    INDEX idx_alert_notification_rule (rule_id, sent_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
