package io.driftwatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JVM's resident memory goes, for the runs' JSON: the kernel's split of RSS (anonymous, file-backed, shared),
 * the heap's committed and used sizes ({@code jstat -gc}), the thread count, and — when the JVM runs with
 * {@code -XX:NativeMemoryTracking=summary} (pass it in {@code -Ddriftwatch.bench.agentJvmArgs}) — the committed size
 * of each Native Memory Tracking category ({@code jcmd VM.native_memory summary}: Java Heap, Class, Thread, Code, GC,
 * Compiler, Internal, Symbol, Arena Chunk, ...). NMT does not see glibc's own overhead (arenas, fragmentation): RSS
 * minus NMT's total committed bounds it.
 */
final class AgentMemory {

    private static final Pattern NMT_CATEGORY =
            Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_TOTAL = Pattern.compile("(?m)^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private AgentMemory() {}

    /** The breakdown now, in MiB (no GC is forced here). */
    static Map<String, Object> breakdown(long pid) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            for (String field : List.of("VmRSS", "RssAnon", "RssFile", "RssShmem")) {
                if (line.startsWith(field + ":")) {
                    out.put(field + "MiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                }
            }
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        out.put("threads", threads);
        out.putAll(heap(pid));
        String nmt = AgentScaleBenchmark.run("jcmd", Long.toString(pid), "VM.native_memory", "summary");
        Matcher total = NMT_TOTAL.matcher(nmt);
        if (total.find()) {
            out.put("nmtTotalCommittedMiB", Long.parseLong(total.group(2)) / 1024.0);
            Map<String, Double> categories = new LinkedHashMap<>();
            Matcher m = NMT_CATEGORY.matcher(nmt);
            while (m.find()) {
                categories.put(m.group(1).strip(), Long.parseLong(m.group(3)) / 1024.0);
            }
            out.put("nmtCommittedMiB", categories);
        }
        return out;
    }

    /** Heap committed (capacities) and used, from {@code jstat -gc}, plus metaspace and class space. */
    private static Map<String, Object> heap(long pid) throws Exception {
        String[] lines = AgentScaleBenchmark.run("jstat", "-gc", Long.toString(pid))
                .strip()
                .split("\n");
        Map<String, Object> out = new LinkedHashMap<>();
        if (lines.length < 2) {
            return out;
        }
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double committed = 0;
        double used = 0;
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (!values[i].matches("[0-9.]+")) {
                continue; // "-": a column this collector does not have
            }
            double kb = Double.parseDouble(values[i]);
            switch (names[i]) {
                case "S0C", "S1C", "EC", "OC" -> committed += kb;
                case "S0U", "S1U", "EU", "OU" -> used += kb;
                case "MC" -> out.put("metaspaceCommittedMiB", kb / 1024);
                case "MU" -> out.put("metaspaceUsedMiB", kb / 1024);
                case "CCSC" -> out.put("classSpaceCommittedMiB", kb / 1024);
                default -> {}
            }
        }
        out.put("heapCommittedMiB", committed / 1024);
        out.put("heapUsedMiB", used / 1024);
        return out;
    }
}
