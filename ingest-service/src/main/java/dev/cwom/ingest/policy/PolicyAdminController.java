package dev.cwom.ingest.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.policy.OperatorPolicy;
import dev.cwom.policy.PolicyDocumentException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's policy: {@code GET} the version in force, {@code PUT} a new document (201 with the new version,
 * 200 when it says the same as the one in force). Meant for the {@code cwom.admin} scope.
 */
@RestController
@RequestMapping("/cwom/admin/policy")
class PolicyAdminController {

    private final PolicyStore store;

    PolicyAdminController(PolicyStore store) {
        this.store = store;
    }

    /**
     * The version in force.
     *
     * @param version the DoctrineRef's version, "1", "2", ...
     * @param doctrineRefId the DoctrineRef that carries it (GET /cwom/doctrine-refs/{id})
     * @param digest the sha256 of the DoctrineRef's canonical JSON, as work orders pin it
     * @param statement the human summary
     * @param policy the document, every default spelled out
     */
    record PolicyView(String version, @JsonProperty("doctrine_ref_id") String doctrineRefId, String digest,
            String statement, Map<String, Object> policy) {

        static PolicyView of(PolicyVersion version) {
            return new PolicyView(version.version(), version.id(), version.digest(), version.doctrine().statement(),
                    version.policy().toMap());
        }
    }

    @GetMapping
    PolicyView getPolicy() {
        return PolicyView.of(store.current());
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PolicyView> putPolicy(@RequestBody String document) {
        OperatorPolicy policy;
        try {
            policy = OperatorPolicy.parse(document);
        } catch (PolicyDocumentException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "INVALID_POLICY", e.getMessage() == null ? "invalid policy"
                    : e.getMessage());
        }
        PolicyStore.Published published = store.publish(policy);
        return ResponseEntity.status(published.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(PolicyView.of(published.version()));
    }
}
