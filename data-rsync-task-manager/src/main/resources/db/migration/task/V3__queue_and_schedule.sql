-- When a task joined the snapshot queue (its order after priority), and when the built-in
-- scheduler last fired its cron schedule.
ALTER TABLE sync_task
    ADD COLUMN queued_at         TIMESTAMP(3) NULL,
    ADD COLUMN last_scheduled_at TIMESTAMP(3) NULL;
