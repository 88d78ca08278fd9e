package dev.cwom.localstack;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code --name=value} (or {@code --name value}) flags of the local stack and the stack benchmark, parsed by
 * picocli like the {@code cwom} CLI and the registry's main: one way to read a command line in the project. The flags
 * are a table of names and defaults (each caller keeps its own, with its help texts), so picocli's model is built
 * from it rather than from annotations.
 */
public final class CommandLineFlags {

    private CommandLineFlags() {
    }

    /**
     * The value of every flag: what {@code args} gave, else its entry in {@code defaults}.
     *
     * @param args     the command line; blank arguments (an empty {@code -Dbenchmark.args}) are ignored
     * @param defaults every flag's name without dashes and its value when not given, in help order
     * @param switches the flags that may stand alone, meaning {@code true} ({@code --exit-after-demo})
     * @param usage    one line per flag, appended to every error
     * @throws IllegalArgumentException naming the flag and what is wrong with it, followed by {@code usage}
     */
    public static Map<String, String> parse(String[] args, Map<String, String> defaults, Set<String> switches,
            String usage) {
        CommandSpec spec = CommandSpec.create();
        defaults.keySet().forEach(name -> spec.addOption(OptionSpec.builder("--" + name).type(String.class)
                .arity(switches.contains(name) ? "0..1" : "1").fallbackValue("true").paramLabel("<" + name + ">")
                .build()));
        CommandLine commandLine = new CommandLine(spec).setOverwrittenOptionsAllowed(true).setExpandAtFiles(false);
        String[] given = Arrays.stream(args).filter(arg -> !arg.isBlank()).toArray(String[]::new);
        CommandLine.ParseResult result;
        try {
            result = commandLine.parseArgs(given);
        } catch (CommandLine.UnmatchedArgumentException e) {
            String unmatched = e.getUnmatched().getFirst();
            String problem = unmatched.startsWith("--")
                    ? "Unknown option " + unmatched.split("=", 2)[0] + "."
                    : "Unexpected argument '" + unmatched + "': options look like --name=value.";
            throw new IllegalArgumentException(problem + " Known options:" + System.lineSeparator() + usage, e);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + ". Known options:" + System.lineSeparator() + usage,
                    e);
        }
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (OptionSpec option : result.matchedOptions()) {
            values.put(option.longestName().substring(2), option.getValue());
        }
        return values;
    }
}
