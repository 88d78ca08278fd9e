package dev.cwom.cli.client;

/** {@code --output}: lines for people, or JSON for scripts (one document, or one line per change for watch). */
public enum OutputFormat {
    text, json
}
