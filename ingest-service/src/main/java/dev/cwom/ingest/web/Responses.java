package dev.cwom.ingest.web;

import dev.cwom.ingest.store.Created;
import dev.cwom.model.CwomObject;
import java.net.URI;
import org.springframework.http.ResponseEntity;

/** The answers of a create: 201 with Location when created, 200 when the same content was already stored. */
public final class Responses {

    private Responses() {
    }

    public static <T extends CwomObject> ResponseEntity<T> created(Created<T> result, String collectionPath) {
        if (!result.created()) {
            return ResponseEntity.ok(result.object());
        }
        return ResponseEntity.created(URI.create(collectionPath + "/" + result.object().id())).body(result.object());
    }
}
