package com.datarsync.task.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A sync task: its JSON definition (validated in data-rsync-common) and where it stands. */
@Entity
@Table(name = "sync_task")
public class SyncTask {

    @Id
    @Column(length = 64)
    private String id;

    @Column(nullable = false, length = 128)
    private String name;

    @Column(name = "definition_json", nullable = false, columnDefinition = "JSON")
    private String definitionJson;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private TaskStatus status;

    @Column(name = "status_reason", length = 1024)
    private String statusReason;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected SyncTask() {
    }

    public SyncTask(String id, String name, String definitionJson) {
        this.id = id;
        this.name = name;
        this.definitionJson = definitionJson;
        this.status = TaskStatus.CREATED;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDefinitionJson() {
        return definitionJson;
    }

    public TaskStatus getStatus() {
        return status;
    }

    public String getStatusReason() {
        return statusReason;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
