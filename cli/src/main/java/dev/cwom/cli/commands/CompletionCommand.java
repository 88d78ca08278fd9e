package dev.cwom.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code completion}: picocli's bash/zsh completion script for the whole command tree, to source:
 * {@code source <(cwom completion)}.
 */
@Command(name = "completion", description = "Print a bash/zsh completion script: source <(cwom completion)")
public final class CompletionCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        String script = AutoComplete.bash("cwom", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }
}
