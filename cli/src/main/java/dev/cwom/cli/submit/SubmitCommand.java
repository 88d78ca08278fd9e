package dev.cwom.cli.submit;

import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Output;
import dev.cwom.cli.client.Profile;
import dev.cwom.json.CwomJson;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code submit FILE}: an Issue with its inputs from one YAML or JSON file; prints the Issue's id. */
@Command(name = "submit", description = "Submit an Issue with its ContextPackets and ConstraintSnapshot from a YAML "
        + "or JSON file (docs/cli.md); prints the Issue's id.")
public final class SubmitCommand implements Runnable {

    /** How the submission travels. */
    public enum Via { rest, kafka }

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the submission (YAML or JSON)")
    Path file;

    @Option(names = "--via", paramLabel = "WAY", defaultValue = "rest",
            description = "rest (default) or kafka (a producer on cwom.issues.submitted.v1)")
    Via via = Via.rest;

    @Option(names = "--kafka", paramLabel = "SERVERS", description = "bootstrap servers (default: $CWOM_KAFKA, "
            + "profile)")
    @Nullable String kafka;

    @Option(names = "--registry-url", paramLabel = "URL", description = "schema registry (default: "
            + "$CWOM_REGISTRY_URL, profile)")
    @Nullable String registryUrl;

    @Option(names = "--registry-token", paramLabel = "TOKEN", description = "token for the registry, which needs "
            + "schemas.write to register the event's schema the first time (default: the API token)")
    @Nullable String registryToken;

    @Override
    public void run() {
        SubmissionFile submission = SubmissionFile.read(file);
        Output out = options.out(spec);
        ObjectNode result = CwomJson.mapper().createObjectNode();
        if (via == Via.kafka) {
            Profile profile = options.profile();
            String servers = ApiOptions.first(kafka, System.getenv("CWOM_KAFKA"), profile.kafka());
            String registry = ApiOptions.first(registryUrl, System.getenv("CWOM_REGISTRY_URL"), profile.registryUrl());
            if (servers == null || registry == null) {
                throw new CliException(ExitCodes.USAGE, "--via kafka needs --kafka and --registry-url (or a profile "
                        + "written by cwom login --kafka ... --registry-url ...)");
            }
            String token = ApiOptions.first(registryToken, options.token(), System.getenv("CWOM_TOKEN"),
                    profile.token());
            RecordMetadata sent = new KafkaSubmitter(servers, registry, token).submit(submission);
            result.put("issue_id", submission.issueId()).put("via", "kafka").put("topic", sent.topic())
                    .put("partition", sent.partition()).put("offset", sent.offset());
            out.note("Sent to " + sent.topic() + "-" + sent.partition() + "@" + sent.offset() + "; intake stores it "
                    + "or rejects it to cwom.issues.rejected.v1 (follow it with cwom watch)");
        } else {
            RestSubmitter.Result stored = new RestSubmitter(options.api()).submit(submission);
            result.put("issue_id", stored.issueId()).put("via", "rest").put("status", stored.status())
                    .put("repo_id", stored.repoId()).put("constraint_snapshot_id", stored.constraintSnapshotId());
            stored.contextPacketIds().forEach(result.putArray("context_packet_ids")::add);
            out.note("Stored Issue " + stored.issueId() + " (" + stored.status() + ") with "
                    + stored.contextPacketIds().size() + " context packet(s)");
        }
        if (out.json()) {
            out.json(result);
        } else {
            out.line(submission.issueId());
        }
    }
}
