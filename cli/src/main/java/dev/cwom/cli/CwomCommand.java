package dev.cwom.cli;

import dev.cwom.cli.client.ApiProblem;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.cli.client.Output;
import dev.cwom.cli.client.OutputFormat;
import dev.cwom.cli.commands.CancelCommand;
import dev.cwom.cli.commands.CompletionCommand;
import dev.cwom.cli.commands.FetchCommand;
import dev.cwom.cli.commands.LineageCommand;
import dev.cwom.cli.commands.LoginCommand;
import dev.cwom.cli.commands.LsCommand;
import dev.cwom.cli.commands.ReplayCommand;
import dev.cwom.cli.commands.ShowCommand;
import dev.cwom.cli.commands.TraceCommand;
import dev.cwom.cli.commands.VerifyCommand;
import dev.cwom.cli.commands.WatchCommand;
import dev.cwom.cli.submit.SubmitCommand;
import dev.cwom.json.CwomJson;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;
import tools.jackson.databind.node.ObjectNode;

/** {@code cwom}: the command line of the CWOM pipeline (docs/cli.md). */
@Command(name = "cwom", mixinStandardHelpOptions = true, version = "cwom 0.1.0",
        // --help and --version on every command
        scope = CommandLine.ScopeType.INHERIT,
        description = "Submit, watch and inspect CWOM work over the REST API of ingest-service.",
        subcommands = {LoginCommand.class, SubmitCommand.class, WatchCommand.class, LsCommand.class,
            ShowCommand.class, CancelCommand.class, FetchCommand.class, TraceCommand.class,
            ReplayCommand.class, LineageCommand.class, VerifyCommand.class, CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (watch: the Issue is done)", "1:an error of the CLI itself", "2:wrong usage",
            "3:the API refused the request (4xx)", "4:not authenticated or not allowed (401, 403)",
            "5:not found (404)", "6:service unreachable or failing (5xx): retry",
            "7:digest mismatch (fetch, trace)", "8:watch --timeout ran out", "10:watch: the Issue failed",
            "11:watch: the Issue was canceled"})
public final class CwomCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command (see cwom --help)");
    }

    /** The configured command line: the one place exceptions turn into messages and exit codes. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new CwomCommand());
        line.setExecutionExceptionHandler(CwomCommand::handle);
        // Also asked for picocli's own parameter errors: those stay usage errors.
        line.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE
                : e instanceof CliException c ? c.exitCode() : ExitCodes.ERROR);
        return line;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    private static int handle(Exception e, CommandLine line, ParseResult parsed) {
        PrintWriter err = line.getErr();
        boolean json = jsonOutput(parsed);
        if (e instanceof ApiProblem problem) {
            err.println(json ? CwomJson.mapper().writeValueAsString(problem.body()) : Output.describe(problem.body()));
            err.flush();
            return problem.exitCode();
        }
        int code = e instanceof CliException c ? c.exitCode() : ExitCodes.ERROR;
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (json) {
            ObjectNode node = CwomJson.mapper().createObjectNode();
            node.put("title", "cwom error");
            node.put("detail", message);
            node.put("exit_code", code);
            err.println(CwomJson.mapper().writeValueAsString(node));
        } else {
            err.println("Error: " + message);
        }
        if (!(e instanceof CliException)) {
            // Not an expected failure: the stack trace is what a bug report needs.
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static boolean jsonOutput(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        return leaf.matchedOptionValue("--output", OutputFormat.text) == OutputFormat.json;
    }
}
