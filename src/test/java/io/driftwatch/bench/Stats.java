package io.driftwatch.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** min, median, max of some samples (the median of an even count is the mean of the middle two). */
record Stats(double min, double median, double max, int n) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(sorted.get(0), median, sorted.get(n - 1), n);
    }
}
