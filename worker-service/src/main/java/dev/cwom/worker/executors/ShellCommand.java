package dev.cwom.worker.executors;

import dev.cwom.model.ContextPacket;
import dev.cwom.model.FailureCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One command of the {@code shell} executor, as an argv list: {@code argv[0]} is the tool. Commands come from the
 * ContextPackets' meta {@code commands}, in packet order, each entry one of:
 * <ul>
 *   <li>a string, split into words like a shell would split it (quotes and backslashes), but with no shell
 *       features: pipes, redirects, {@code ;}, {@code &}, {@code $}, backquotes, globs and parentheses are refused;
 *   <li>an array of strings, taken as the argv as it is;
 *   <li>an object {@code {"run": <string or array>, "failure_category": "test"}} naming the failure category of a
 *       non-zero exit (default {@code build}).
 * </ul>
 *
 * @param argv the tool and its arguments
 * @param onFailure the failure category when the command exits non-zero
 */
record ShellCommand(List<String> argv, FailureCategory onFailure) {

    static final String META_COMMANDS = "commands";
    private static final String SHELL_SYNTAX = "|&;<>()$`*?";

    ShellCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.getFirst().isBlank()) {
            throw new InvalidCommandException("A command is empty; give at least the tool to run");
        }
    }

    String tool() {
        return argv.getFirst();
    }

    /** The command as one line, for logs and messages. */
    String display() {
        return String.join(" ", argv.stream().map(a -> a.isEmpty() || a.matches(".*[\\s'\"].*")
                ? "'" + a.replace("'", "'\\''") + "'" : a).toList());
    }

    /** All commands of the packets, in order. */
    static List<ShellCommand> from(List<ContextPacket> packets) {
        List<ShellCommand> commands = new ArrayList<>();
        for (ContextPacket packet : packets) {
            Object entries = packet.meta().get(META_COMMANDS);
            if (entries == null) {
                continue;
            }
            if (!(entries instanceof List<?> list)) {
                throw new InvalidCommandException("ContextPacket " + packet.id() + " meta.commands is a "
                        + typeName(entries) + "; it must be a list of commands");
            }
            for (Object entry : list) {
                commands.add(parse(packet.id(), entry));
            }
        }
        return commands;
    }

    private static ShellCommand parse(String packetId, Object entry) {
        if (entry instanceof String line) {
            return new ShellCommand(split(line), FailureCategory.BUILD);
        }
        if (entry instanceof List<?> list) {
            return new ShellCommand(strings(packetId, list), FailureCategory.BUILD);
        }
        if (entry instanceof Map<?, ?> map) {
            Object run = map.get("run");
            Object category = map.get("failure_category");
            FailureCategory onFailure;
            try {
                onFailure = category == null ? FailureCategory.BUILD : FailureCategory.of(category.toString());
            } catch (IllegalArgumentException e) {
                throw new InvalidCommandException("ContextPacket " + packetId + ": " + e.getMessage());
            }
            if (run instanceof String line) {
                return new ShellCommand(split(line), onFailure);
            }
            if (run instanceof List<?> list) {
                return new ShellCommand(strings(packetId, list), onFailure);
            }
            throw new InvalidCommandException("ContextPacket " + packetId + " has a command object without a string"
                    + " or list 'run': " + map.keySet() + "; write {\"run\": \"tool args\"}");
        }
        throw new InvalidCommandException("ContextPacket " + packetId + " has a command that is a "
                + typeName(entry) + "; a command is a string, a list of strings or an object with 'run'");
    }

    private static List<String> strings(String packetId, List<?> list) {
        List<String> argv = new ArrayList<>();
        for (Object word : list) {
            if (!(word instanceof String s)) {
                throw new InvalidCommandException("ContextPacket " + packetId + " has an argv " + list
                        + " with a " + typeName(word) + " in it; every element must be a string");
            }
            argv.add(s);
        }
        return argv;
    }

    /** Splits like a POSIX shell splits words (quotes, backslash), refusing what only a shell could do. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else if (c == '$' || c == '`') {
                    throw shellSyntax(line, c);
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (SHELL_SYNTAX.indexOf(c) >= 0) {
                    throw shellSyntax(line, c);
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new InvalidCommandException("Command '" + line + "' has an unclosed " + quote + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static InvalidCommandException shellSyntax(String line, char c) {
        return new InvalidCommandException("Command '" + line + "' uses shell syntax ('" + c + "'), but commands run"
                + " without a shell so that every tool can be checked; quote the character, give the command as an"
                + " argv list, or allow a shell as a tool and call it explicitly: [\"sh\", \"-c\", \"...\"]");
    }

    private static String typeName(Object value) {
        return value instanceof Map ? "object" : value.getClass().getSimpleName();
    }

    /** A command that does not follow the convention; the run is refused with {@code policy}. */
    static final class InvalidCommandException extends RuntimeException {
        InvalidCommandException(String message) {
            super(message);
        }
    }
}
