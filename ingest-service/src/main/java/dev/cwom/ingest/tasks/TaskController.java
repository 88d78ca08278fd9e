package dev.cwom.ingest.tasks;

import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.service.tracing.TraceHeaders;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/tasks")
class TaskController {

    private final TaskService tasks;
    private final TraceHeaders traces;

    TaskController(TaskService tasks, TraceHeaders traces) {
        this.tasks = tasks;
        this.traces = traces;
    }

    /** 201 for a new task, 200 for a retry of the same request with the same idempotency key. */
    @PostMapping(path = "/enqueue", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TaskView> enqueueTask(@RequestBody TaskRequest request,
            @RequestParam(name = "create_cwom", required = false) @Nullable Boolean createCwom) {
        if (Boolean.FALSE.equals(createCwom)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "CWOM_REQUIRED", "create_cwom=false is not supported: every "
                    + "task becomes CWOM objects, because work orders are CWOM; leave create_cwom out or send true");
        }
        TaskService.Enqueued result = tasks.enqueue(request, traces.currentTraceId());
        if (!result.created()) {
            return ResponseEntity.ok(result.task());
        }
        return ResponseEntity.created(URI.create("/tasks/" + result.task().id())).body(result.task());
    }

    @GetMapping("/{id}")
    TaskView getTask(@PathVariable String id) {
        return tasks.get(id);
    }

    @GetMapping
    Page<TaskView> listTasks(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return tasks.list(PageQuery.of(limit, cursor));
    }
}
