package com.datarsync.task.domain;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A sync task as the task manager owns it: the definition (validated by the one validator in
 * data-rsync-common), what should happen to it (desired state, generation) and what the
 * supervisor last observed (state, retry book, snapshot completion).
 */
@Entity
@Table(name = "sync_task")
public class SyncTask {

    @Id
    @Column(length = 64)
    private String id;

    @Column(nullable = false, length = 128)
    private String name;

    @Column(length = 1024)
    private String description;

    @Column(name = "definition_json", nullable = false, columnDefinition = "LONGTEXT")
    private String definitionJson;

    /** The registered data source the definition reads from (its {@code source.dataSourceId}). */
    @Column(name = "data_source_id")
    private Long dataSourceId;

    @Column(length = 64)
    private String owner;

    @Column(nullable = false)
    private int priority;

    @Column(name = "schedule_cron", length = 128)
    private String scheduleCron;

    /** Upstream task ids, comma-separated. */
    @Column(name = "depends_on", nullable = false, length = 2048)
    private String dependsOn = "";

    @Enumerated(EnumType.STRING)
    @Column(name = "desired_state", nullable = false, length = 16)
    private DesiredState desiredState;

    /** Increases on every change of the definition and on every restart; stages report the one they run. */
    @Column(nullable = false)
    private long generation;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private SyncTaskState state;

    @Column(name = "state_code", length = 16)
    private String stateCode;

    @Column(name = "state_message", length = 1024)
    private String stateMessage;

    @Column(name = "state_since", nullable = false)
    private Instant stateSince;

    @Column(name = "retry_attempts", nullable = false)
    private int retryAttempts;

    @Column(name = "retrying_since")
    private Instant retryingSince;

    @Column(name = "next_retry_at")
    private Instant nextRetryAt;

    @Column(name = "snapshot_completed_at")
    private Instant snapshotCompletedAt;

    @Column(name = "queued_at")
    private Instant queuedAt;

    @Column(name = "last_scheduled_at")
    private Instant lastScheduledAt;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
    private Instant updatedAt;

    @Version
    private long version;

    /** The definition's mode, read from it once per loaded entity (the supervisor asks every round). */
    @Transient
    private SyncTaskDefinition.Mode mode;

    /** What the lifecycle rules need of the definition, read once per loaded entity (every task answer asks). */
    @Transient
    private TaskLifecycle.Facts lifecycleFacts;

    protected SyncTask() {
    }

    public SyncTask(String id, SyncTaskDefinition definition) {
        this.id = id;
        this.definitionJson = SyncTaskDefinitions.toJson(definition);
        this.dataSourceId = definition.source().dataSourceId();
        this.desiredState = DesiredState.STOPPED;
        this.generation = 1;
        this.state = SyncTaskState.CREATED;
        this.stateSince = Instant.now();
    }

    public void describe(String name, String description, String owner, int priority, String scheduleCron,
            List<String> dependsOn) {
        this.name = name;
        this.description = description;
        this.owner = owner;
        this.priority = priority;
        this.scheduleCron = scheduleCron;
        this.dependsOn = String.join(",", dependsOn);
    }

    /** A new definition: a new generation, so every stage that uses what changed restarts. */
    public void redefine(SyncTaskDefinition definition) {
        this.definitionJson = SyncTaskDefinitions.toJson(definition);
        this.dataSourceId = definition.source().dataSourceId();
        this.mode = null;
        this.lifecycleFacts = null;
        this.generation++;
    }

    /** Every stage restarts its work under a new generation. */
    public void bumpGeneration() {
        this.generation++;
    }

    public void want(DesiredState desired) {
        this.desiredState = desired;
    }

    /** Records an observed state; the time it began changes only when the state does. */
    public void observe(SyncTaskState newState, String code, String message) {
        if (newState != state) {
            stateSince = Instant.now();
        }
        this.state = newState;
        this.stateCode = code;
        this.stateMessage = message == null || message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
    }

    public void retryBook(int attempts, Instant retryingSince, Instant nextRetryAt) {
        this.retryAttempts = attempts;
        this.retryingSince = retryingSince;
        this.nextRetryAt = nextRetryAt;
    }

    /** When the snapshot completed; null when a new one is wanted (a full sync). */
    public void snapshotCompleted(Instant at) {
        this.snapshotCompletedAt = at;
    }

    /** Joins the queue of runs waiting to start (ordered by priority, then this time). */
    public void queue(Instant at) {
        this.queuedAt = at;
    }

    public void scheduled(Instant at) {
        this.lastScheduledAt = at;
    }

    /** Whether starting the task means reading a snapshot first (and so taking a snapshot slot). */
    public boolean needsSnapshot() {
        return snapshotCompletedAt == null && mode() != SyncTaskDefinition.Mode.INCREMENTAL;
    }

    /** What the task's lifecycle rules need of its definition. */
    public TaskLifecycle.Facts lifecycleFacts() {
        if (lifecycleFacts == null) {
            lifecycleFacts = TaskLifecycle.Facts.of(SyncTaskDefinitions.parse(definitionJson));
        }
        return lifecycleFacts;
    }

    /** What each command would do to the task now (docs/tasks.md, "Lifecycle"). */
    public TaskLifecycle.Transition decide(TaskLifecycle.Action action) {
        return TaskLifecycle.decide(state, desiredState, action, lifecycleFacts());
    }

    public SyncTaskDefinition.Mode mode() {
        if (mode == null) {
            mode = SyncTaskDefinitions.parse(definitionJson).mode();
        }
        return mode;
    }

    public Instant getQueuedAt() {
        return queuedAt;
    }

    public Instant getLastScheduledAt() {
        return lastScheduledAt;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public String getDefinitionJson() {
        return definitionJson;
    }

    public Long getDataSourceId() {
        return dataSourceId;
    }

    public String getOwner() {
        return owner;
    }

    public int getPriority() {
        return priority;
    }

    public String getScheduleCron() {
        return scheduleCron;
    }

    public List<String> getDependsOn() {
        return dependsOn == null || dependsOn.isBlank() ? List.of() : Arrays.asList(dependsOn.split(","));
    }

    public DesiredState getDesiredState() {
        return desiredState;
    }

    public long getGeneration() {
        return generation;
    }

    public SyncTaskState getState() {
        return state;
    }

    public String getStateCode() {
        return stateCode;
    }

    public String getStateMessage() {
        return stateMessage;
    }

    public Instant getStateSince() {
        return stateSince;
    }

    public int getRetryAttempts() {
        return retryAttempts;
    }

    public Instant getRetryingSince() {
        return retryingSince;
    }

    public Instant getNextRetryAt() {
        return nextRetryAt;
    }

    public Instant getSnapshotCompletedAt() {
        return snapshotCompletedAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
