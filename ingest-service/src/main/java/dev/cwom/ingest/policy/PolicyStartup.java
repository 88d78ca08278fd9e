package dev.cwom.ingest.policy;

import dev.cwom.ingest.IngestProperties;
import dev.cwom.policy.OperatorPolicy;
import dev.cwom.policy.PolicyDocumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Puts the policy file ({@code cwom.ingest.policy.file}) in force at start-up, or makes sure some version is (the
 * safe default). A file that cannot be read or is not a valid policy stops the start: running under a policy other
 * than the one the operator wrote would be worse than not running.
 */
@Component
class PolicyStartup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PolicyStartup.class);

    private final PolicyStore store;
    private final IngestProperties.Policy settings;

    PolicyStartup(PolicyStore store, IngestProperties properties) {
        this.store = store;
        this.settings = properties.policy();
    }

    @Override
    public void run(ApplicationArguments args) {
        Path file = settings.file();
        if (file == null) {
            PolicyVersion current = store.current();
            log.info("Operator policy v{} in force ({}); no cwom.ingest.policy.file given", current.version(),
                    current.digest());
            return;
        }
        String document;
        try {
            document = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cwom.ingest.policy.file " + file.toAbsolutePath() + " cannot be read ("
                    + e + "); fix the path or leave the setting out to keep the policy in force", e);
        }
        OperatorPolicy policy;
        try {
            policy = OperatorPolicy.parse(document);
        } catch (PolicyDocumentException e) {
            throw new IllegalStateException("cwom.ingest.policy.file " + file.toAbsolutePath() + ": " + e.getMessage(),
                    e);
        }
        PolicyStore.Published published = store.publish(policy);
        log.info("Operator policy v{} in force ({}) from {}{}", published.version().version(),
                published.version().digest(), file, published.created() ? "" : " (unchanged)");
    }
}
