-- The data source registry, owned by data-rsync-data-source. Credentials are stored encrypted
-- (credential_cipher); the plain password never reaches this table, a log or an API answer.
CREATE TABLE data_source (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    name              VARCHAR(128) NOT NULL,
    kind              VARCHAR(32)  NOT NULL,
    host              VARCHAR(255) NOT NULL,
    port              INT          NOT NULL,
    database_name     VARCHAR(128),
    username          VARCHAR(128),
    credential_cipher TEXT,
    options_json      JSON,
    created_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    version           BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT uk_data_source_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
