-- A source can be disabled (kept, but no task may start on it) and described.
ALTER TABLE data_source
    ADD COLUMN enabled     BOOLEAN      NOT NULL DEFAULT TRUE,
    ADD COLUMN description VARCHAR(512) NULL;
