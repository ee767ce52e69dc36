-- A task's source is a registered data source, by id (copied from the definition so that lists
-- can be filtered by the caller's data permissions and the data-source service can ask which
-- tasks use a source). Definitions saved before carry no id and stay NULL here: such a task
-- must be created again on a registered source.
ALTER TABLE sync_task ADD COLUMN data_source_id BIGINT NULL;
CREATE INDEX ix_sync_task_data_source ON sync_task (data_source_id);
