package dev.cwom.ingest.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConstraintSnapshotApiTests extends IngestApiTest {

    @Test
    void createsASnapshotCapturedAtCreationWhenNotGiven() {
        Http.Response response = http.post("/cwom/constraint-snapshots", """
                {"scope": "personal", "owner": {"actor_kind": "human", "actor_id": "ana"},
                 "constraints": {"energy": {"score_0_5": 3}, "budget": {"usd_available": 10.5},
                                 "environment": {"connectivity": "limited"}, "risk": {"tolerance": "low"}}}""");

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode snapshot = response.json();
        assertThat(snapshot.get("captured_at").asString()).isEqualTo(snapshot.get("created_at").asString());
        assertThat(snapshot.get("constraints").get("energy").get("score_0_5").asInt()).isEqualTo(3);
        assertThat(http.get("/cwom/constraint-snapshots/" + snapshot.get("id").asString()).json()).isEqualTo(snapshot);
    }

    @Test
    void refusesOutOfRangeValuesWithTheirPaths() {
        JsonNode body = problem(http.post("/cwom/constraint-snapshots", """
                {"scope": "run", "constraints": {"energy": {"score_0_5": 9}, "time": {"available_minutes": -1}}}"""),
                400, "VALIDATION_FAILED");

        assertThat(body.get("errors").findValuesAsString("path")).contains("$.constraints.energy.score_0_5",
                "$.constraints.time.available_minutes");
    }

    @Test
    void listsByScope() {
        String run = createSnapshot();
        String org = created(http.post("/cwom/constraint-snapshots", "{\"scope\": \"org\"}"));

        JsonNode orgs = http.get("/cwom/constraint-snapshots?scope=org&limit=1000").json();
        assertThat(idsOf(orgs.get("items"))).contains(org).doesNotContain(run);
        problem(http.get("/cwom/constraint-snapshots?scope=galaxy"), 400, "VALIDATION_FAILED");
    }

    @Test
    void snapshotsAreImmutable() {
        String snapshot = createSnapshot();

        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            problem(http.send(method, "/cwom/constraint-snapshots/" + snapshot, "application/json", "{}"), 405,
                    "IMMUTABLE");
        }
    }

    @Test
    void anUnknownSnapshotIsNotFound() {
        problem(http.get("/cwom/constraint-snapshots/" + Ids.newUlid()), 404, "NOT_FOUND");
    }
}
