package dev.cwom.ingest.contextpackets;

import dev.cwom.ingest.web.Immutable;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.Responses;
import dev.cwom.model.ContextPacket;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ContextPacketController {

    private static final String PATH = "/cwom/context-packets";

    private final ContextPacketService packets;

    ContextPacketController(ContextPacketService packets) {
        this.packets = packets;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ContextPacket> createContextPacket(@RequestBody ContextPacket packet) {
        return Responses.created(packets.create(packet), PATH);
    }

    @GetMapping(PATH + "/{id}")
    ContextPacket getContextPacket(@PathVariable String id) {
        return packets.get(id);
    }

    /** ContextPackets are immutable: changing one is refused with 405. */
    @RequestMapping(path = PATH + "/{id}", method = {RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE})
    ResponseEntity<Void> changeContextPacket(@PathVariable String id) {
        throw Immutable.refused(ContextPacket.KIND, PATH);
    }

    @GetMapping("/cwom/issues/{issueId}/context-packets")
    Page<ContextPacket> listContextPacketsOfIssue(@PathVariable String issueId,
            @RequestParam(required = false) @Nullable String version,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return packets.forIssue(issueId, version, PageQuery.of(limit, cursor));
    }
}
