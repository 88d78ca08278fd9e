package dev.cwom.ingest.console;

import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /cwom/intake/rejections?limit=&cursor=}: the intake's rejected records with their reason codes, a page
 * at a time like every list ({@code limit} 1..1000, default 100; {@code next} while more exist). Needs
 * {@code cwom.read} like every other read of {@code /cwom}: a reader already sees every Issue, and a submitter over
 * Kafka learns here why a submission never became one.
 */
@RestController
class RejectedRecordController {

    private final RejectedRecords rejected;

    RejectedRecordController(RejectedRecords rejected) {
        this.rejected = rejected;
    }

    @GetMapping("/cwom/intake/rejections")
    Page<RejectedRecord> listRejections(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        PageQuery page = PageQuery.of(limit, null);
        RejectedRecords.Position after = RejectedRecords.Position.parse(cursor);
        return Page.of(rejected.read(after, page.limit() + 1), page, RejectedRecord::position);
    }
}
