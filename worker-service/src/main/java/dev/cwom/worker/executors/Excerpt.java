package dev.cwom.worker.executors;

/** Text from outside (an agent's answer, its error message) made fit for a failure message: one line, bounded. */
final class Excerpt {

    private Excerpt() {
    }

    /**
     * {@code text} on one line (control characters become spaces) and at most {@code max} characters, with a note of
     * how much was left out.
     */
    static String of(String text, int max) {
        String cut = text.length() <= max ? text : text.substring(0, max);
        String line = cut.replaceAll("\\p{Cntrl}+", " ").strip();
        return text.length() <= max ? line : line + "... (" + (text.length() - max) + " more characters)";
    }
}
