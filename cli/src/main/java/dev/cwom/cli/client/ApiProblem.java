package dev.cwom.cli.client;

import tools.jackson.databind.JsonNode;

/** An error answer of a service: its status and its problem+json body (or a stand-in when it sent none). */
public final class ApiProblem extends CliException {

    private final int status;
    private final JsonNode body;

    public ApiProblem(int status, JsonNode body) {
        super(ExitCodes.forStatus(status), body.path("title").asString("HTTP " + status) + ": "
                + body.path("detail").asString(""));
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public JsonNode body() {
        return body;
    }
}
