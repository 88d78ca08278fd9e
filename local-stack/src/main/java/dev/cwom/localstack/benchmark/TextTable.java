package dev.cwom.localstack.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown table whose columns are padded to their widest cell, so it reads aligned in a terminal and pastes into
 * docs as is. Columns whose header starts with a space are right-aligned (numbers).
 */
public final class TextTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    public TextTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("A row of " + cells.length + " cells in a table of " + headers.size()
                    + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).strip().length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers.stream().map(String::strip).toList(), widths);
        List<String> rule = new ArrayList<>();
        for (int c = 0; c < widths.length; c++) {
            rule.add(rightAligned(c) ? "-".repeat(widths[c] - 1) + ":" : "-".repeat(widths[c]));
        }
        line(out, rule, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(rightAligned(c) ? padding + cell : cell + padding).append(" |");
        }
        out.append(System.lineSeparator());
    }

    private boolean rightAligned(int column) {
        return headers.get(column).startsWith(" ");
    }
}
