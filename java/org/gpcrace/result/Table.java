package org.gpcrace.result;

import java.util.List;

/**
 * A table of numbers a test measured, first column the x of a sweep (spinners, range size, duty
 * cycle, start delay): what the CSV files, the sweep charts and results.json carry, with the
 * same column names and units everywhere.
 */
public record Table(String name, String description, List<Column> columns, List<List<Double>> rows) {

    /** A column: its name as results.json and the CSV header give it, and its unit ("" for a count or ratio). */
    public record Column(String name, String unit) {
        /** The CSV header: name_unit, or name alone for a unitless column. */
        public String header() { return unit == null || unit.isEmpty() ? name : name + "_" + unit; }
    }

    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<Double> r : rows) {
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("table " + name + ": a row of " + r.size() + " values for " + columns.size() + " columns");
            }
        }
    }

    /** The column index of {@code name}, or -1. */
    public int column(String name) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
        return -1;
    }
}
