package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.task.domain.RunOutcome;
import com.datarsync.task.domain.RunTrigger;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.domain.TaskRun;
import com.datarsync.task.domain.TaskVerification;
import com.datarsync.task.infra.SyncTaskRepository;
import com.xxl.job.core.context.XxlJobHelper;
import com.xxl.job.core.handler.annotation.XxlJob;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The job handlers an XXL-Job admin (or the built-in scheduler) fires. The job parameter is the
 * task id. A handler returns when the work it started is over, so the admin's job log shows the
 * outcome: a full sync when its snapshot has been read (or the run failed), a verification at once.
 */
@Component
public class ScheduledJobs {

    public static final String FULL_SYNC = "datarsyncFullSync";
    public static final String VERIFY = "datarsyncVerify";
    /** The longest a full-sync job waits for its snapshot; the admin's own timeout may be shorter. */
    private static final Duration MAX_WAIT = Duration.ofHours(12);

    private final TaskCatalog catalog;
    private final SyncTaskRepository tasks;
    private final RunBook runs;

    private final VerificationService verifications;

    public ScheduledJobs(TaskCatalog catalog, SyncTaskRepository tasks, RunBook runs,
            VerificationService verifications) {
        this.verifications = verifications;
        this.catalog = catalog;
        this.tasks = tasks;
        this.runs = runs;
    }

    @XxlJob(FULL_SYNC)
    public void fullSync() throws InterruptedException {
        String id = param();
        try {
            SyncTask task = catalog.fullSync(id, RunTrigger.SCHEDULE);
            long runId = runs.open(id).map(TaskRun::getId).orElse(-1L);
            XxlJobHelper.log("Full sync of task " + id + ": run " + runId + " at generation " + task.getGeneration()
                    + ", " + task.getState());
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            SyncTaskState last = null;
            while (System.nanoTime() < deadline) {
                Optional<SyncTask> now = tasks.findById(id);
                if (now.isEmpty()) {
                    XxlJobHelper.handleFail("Task " + id + " was deleted during its full sync");
                    return;
                }
                SyncTask t = now.get();
                if (t.getState() != last) {
                    last = t.getState();
                    XxlJobHelper.log("Task " + id + " is " + last + (t.getStateMessage() == null ? ""
                            : ": " + t.getStateMessage()));
                }
                if (t.getSnapshotCompletedAt() != null) {
                    TaskRun run = runs.latest(id).orElseThrow();
                    XxlJobHelper.handleSuccess("Snapshot completed: " + run.getRowsSnapshotted() + " rows read in run "
                            + run.getId() + (run.getOutcome() == RunOutcome.SUCCEEDED ? "; run SUCCEEDED" : ""));
                    return;
                }
                if (t.getState() == SyncTaskState.FAILED) {
                    XxlJobHelper.handleFail("Full sync failed: " + t.getStateCode() + " " + t.getStateMessage());
                    return;
                }
                Thread.sleep(1_000);
            }
            XxlJobHelper.handleTimeout("The snapshot did not complete within " + MAX_WAIT);
        } catch (DataRsyncException e) {
            XxlJobHelper.handleFail(e.errorCode().code() + " " + e.getMessage());
        }
    }

    @XxlJob(VERIFY)
    public void verify() {
        String id = param();
        try {
            TaskVerification v = verifications.verifyNow(id, TaskVerification.Trigger.SCHEDULE, null);
            String summary = "Verification " + v.getId() + " of task " + id + ": " + v.getState()
                    + (v.getErrorMessage() != null ? " " + v.getErrorCode() + " " + v.getErrorMessage() : "");
            XxlJobHelper.log(summary);
            if (v.getState() == TaskVerification.State.EQUAL) {
                XxlJobHelper.handleSuccess(summary);
            } else {
                XxlJobHelper.handleFail(summary);
            }
        } catch (DataRsyncException e) {
            XxlJobHelper.handleFail(e.errorCode().code() + " " + e.getMessage());
        }
    }

    private static String param() {
        String id = XxlJobHelper.getJobParam();
        return id == null ? "" : id.trim();
    }
}
