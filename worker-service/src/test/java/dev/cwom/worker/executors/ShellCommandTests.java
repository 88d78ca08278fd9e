package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellCommandTests {

    @Test
    void splitsWordsHonouringQuotesAndBackslashes() {
        assertThat(ShellCommand.split("grep -r 'hello world' \"a \\\"b\\\"\" c\\ d ''"))
                .containsExactly("grep", "-r", "hello world", "a \"b\"", "c d", "");
    }

    @Test
    void refusesShellSyntaxThatWouldHideATool() {
        assertThatThrownBy(() -> ShellCommand.split("make test && rm -rf /"))
                .isInstanceOf(ShellCommand.InvalidCommandException.class)
                .hasMessageContaining("shell syntax ('&')").hasMessageContaining("argv list");
        assertThatThrownBy(() -> ShellCommand.split("echo $(rm x)"))
                .isInstanceOf(ShellCommand.InvalidCommandException.class);
        assertThatThrownBy(() -> ShellCommand.split("echo \"`rm x`\""))
                .isInstanceOf(ShellCommand.InvalidCommandException.class);
    }

    @Test
    void acceptsShellCharactersInsideSingleQuotes() {
        assertThat(ShellCommand.split("echo 'a | b; $c'")).containsExactly("echo", "a | b; $c");
    }
}
