package dev.cwom.policy;

import dev.cwom.model.ContextPacket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a run asks for beyond its ConstraintSnapshot: the executor, the tools its commands start, the host its webhook
 * is on. Each part is optional: what is not known yet (ingest does not know a worker's default webhook) is not checked.
 *
 * @param executor the executor's name, when known
 * @param tools the tools the commands start ({@code argv[0]} of each of the ContextPackets' {@code meta.commands})
 * @param webhookHost the http executor's webhook host, when known
 */
public record RunAsk(@Nullable String executor, List<String> tools, @Nullable String webhookHost) {

    /** The ContextPacket meta key that lists the shell executor's commands. */
    public static final String META_COMMANDS = "commands";

    public RunAsk {
        tools = List.copyOf(tools);
    }

    /**
     * The tools the packets' {@code meta.commands} start, in order, each once. A command is an argv list, a string
     * (its first word, quotes removed) or an object whose {@code run} is one of those; entries that are none of these
     * are left to the shell executor, which refuses them when it parses the commands.
     */
    public static List<String> toolsOf(List<ContextPacket> packets) {
        Set<String> tools = new LinkedHashSet<>();
        for (ContextPacket packet : packets) {
            if (packet.meta().get(META_COMMANDS) instanceof List<?> commands) {
                for (Object command : commands) {
                    String tool = toolOf(command instanceof Map<?, ?> map ? map.get("run") : command);
                    if (tool != null && !tool.isBlank()) {
                        tools.add(tool);
                    }
                }
            }
        }
        return new ArrayList<>(tools);
    }

    private static @Nullable String toolOf(@Nullable Object command) {
        if (command instanceof List<?> argv) {
            return argv.isEmpty() || argv.getFirst() == null ? null : argv.getFirst().toString();
        }
        if (command instanceof String line) {
            StringBuilder word = new StringBuilder();
            for (char c : line.strip().toCharArray()) {
                if (Character.isWhitespace(c)) {
                    break;
                }
                if (c != '\'' && c != '"' && c != '\\') {
                    word.append(c);
                }
            }
            return word.toString();
        }
        return null;
    }
}
