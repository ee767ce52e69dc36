package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;

/**
 * Two instances each of data-process and milvus-sync: the task manager gives the task to both,
 * their consumers share the task's partitions (read from Kafka's own group membership), and when
 * one instance of each is killed in the middle of a steady stream of inserts, updates, key
 * changes and deletes, the survivors take its partitions: Milvus ends equal to the source field
 * by field and vector by vector, and nothing went to the dead letters.
 */
class ScaleOutIT extends RunningSuite {

    private static final int PROCESS_PORT = 18184;
    private static final int MILVUS_SYNC_PORT = 18185;
    private static final int PARTITIONS = 4;

    @Test
    void twoInstancesShareTheTaskAndTheSurvivorsTakeOverWhenOneOfEachIsKilled() throws Exception {
        MariaDbE2eTable table = new MariaDbE2eTable();
        String task = "scale_" + runId();
        try (DataPathClient client = new DataPathClient();
                Admin kafka = Admin.create(LocalInfra.get().kafkaClient(Map.of()))) {
            ChangeWriter writer = new ChangeWriter(List.of(table), 50);
            try {
                SuiteProcesses.instance("start", "data-process", PROCESS_PORT);
                SuiteProcesses.instance("start", "milvus-sync", MILVUS_SYNC_PORT);
                table.recreate();
                table.seed(200);
                // The task's own partition count (the suite's default is 3).
                String definition = table.definition(task, task).replaceFirst("\\{\"id\"",
                        "{\"partitions\": " + PARTITIONS + ", \"id\"");
                assertThat(definition).contains("\"partitions\": " + PARTITIONS);
                client.startTask(definition);
                client.awaitMirror(table, task, "after the snapshot");
                for (String topic : List.of("rsync.changes." + task, "rsync.vectors." + task)) {
                    assertThat(kafka.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                            .as("partitions of " + topic).hasSize(PARTITIONS);
                }

                // Both instances of each stage joined the task's consumer group with partitions of their own.
                List<String> groups = List.of("datarsync-process-" + task, "datarsync-milvus-" + task);
                for (String group : groups) {
                    await(group + " shared by two instances").atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                            .until(() -> partitionsPerMember(kafka, group).size() == 2
                                    && partitionsPerMember(kafka, group).stream().allMatch(n -> n > 0));
                }
                System.out.println("SCALE-OUT partitions per member before the kill: "
                        + groups.stream().map(g -> g + "=" + partitionsPerMember(kafka, g)).toList());

                writer.start();
                Thread.sleep(10_000);
                int beforeKill = writer.applied();
                // One of each dies mid-stream: the extra data-process and the first milvus-sync.
                SuiteProcesses.instance("kill", "data-process", PROCESS_PORT);
                SuiteProcesses.kill("milvus-sync");
                Thread.sleep(20_000);
                for (String group : groups) {
                    // The dead members leave once their session times out; the survivor holds every partition.
                    await(group + " taken over by the survivor").atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                            .until(() -> partitionsPerMember(kafka, group).size() == 1);
                }
                await("the task RUNNING on the survivors").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> "RUNNING".equals(client.taskStatus(task).path("state").asText()));
                Thread.sleep(5_000);
                writer.pause();
                int changes = writer.applied();
                client.awaitMirror(table, task, "after one instance of each stage was killed");
                assertThat(TaskTopics.deadLetters(task, 0)).as("dead letters").isEmpty();
                assertThat(changes - beforeKill).as("changes made after the kill").isGreaterThan(50);
                System.out.printf("SCALE-OUT %d changes (%d after the kill); Milvus equal to the source%n", changes,
                        changes - beforeKill);
            } finally {
                writer.stop();
                SuiteProcesses.instance("stop", "data-process", PROCESS_PORT);
                SuiteProcesses.instance("stop", "milvus-sync", MILVUS_SYNC_PORT);
                SuiteProcesses.start("milvus-sync");
                client.deleteTask(task, true);
            }
        }
    }

    /** For each member of the consumer group, how many partitions it is assigned (Kafka's own view). */
    private static List<Integer> partitionsPerMember(Admin kafka, String group) {
        try {
            ConsumerGroupDescription d = kafka.describeConsumerGroups(List.of(group)).all()
                    .get(10, TimeUnit.SECONDS).get(group);
            List<Integer> out = new ArrayList<>();
            for (MemberDescription m : d.members()) {
                out.add(m.assignment().topicPartitions().size());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
