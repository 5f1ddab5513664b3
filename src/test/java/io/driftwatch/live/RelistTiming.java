package io.driftwatch.live;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.informers.impl.cache.ProcessorStore;
import io.fabric8.kubernetes.client.informers.impl.cache.SharedProcessor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plain timing harness (bench/run-relist.sh; no assertions): what fabric8's informer does on its HTTP event loop for
 * a list and a relist of N ConfigMaps (5–15 keys, as in the agent-scale benchmark) into the {@link CompactItemStore},
 * in pages of {@link KindInformer#LIST_PAGE_SIZE}: {@code ProcessorStore.update(page)} per page, then {@code
 * syncList}. The handler runs on its own thread, as fabric8's informer executor does, and reads each event's name and
 * namespace as the agent's handler does. Prints min/median/max over the runs for the event-loop side of the initial
 * list, of a relist with nothing changed, and of a relist with 1 % changed and 1 % deleted; decoding the lists'
 * JSON (fabric8's own work, whatever the store) is not included.
 *
 * <p>Usage: {@code RelistTiming [objects] [runs] [fabric8]} (default 50000 5; {@code fabric8}: fabric8's own
 * {@code BasicItemStore} instead, the floor: it keeps the decoded objects and encodes nothing).
 */
public final class RelistTiming {

    private RelistTiming() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean fabric8s = args.length > 2 && args[2].equals("fabric8");
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<String> json = configMaps(n, serialization);
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        for (int run = 0; run < runs + 1; run++) { // the first run warms the JIT and is not counted
            Map<String, Double> one = oneRun(json, serialization, fabric8s);
            if (run > 0) {
                one.forEach(
                        (k, v) -> ms.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
        }
        System.out.printf(
                "relist timing: %,d ConfigMaps into %s, %d runs (+1 warm-up), pages of %d%n",
                n, fabric8s ? "fabric8's BasicItemStore" : "CompactItemStore", runs, KindInformer.LIST_PAGE_SIZE);
        ms.forEach((phase, values) -> {
            double[] v =
                    values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(
                    "%-55s min %8.1f  median %8.1f  max %8.1f ms%n", phase, v[0], v[v.length / 2], v[v.length - 1]);
        });
    }

    private static Map<String, Double> oneRun(
            List<String> json, KubernetesSerialization serialization, boolean fabric8s) throws Exception {
        ExecutorService handlerThread = Executors.newSingleThreadExecutor();
        AtomicLong names = new AtomicLong();
        CacheImpl<GenericKubernetesResource> cache = new CacheImpl<>();
        cache.setItemStore(
                fabric8s ? new BasicItemStore<>(Cache::metaNamespaceKeyFunc) : new CompactItemStore(serialization));
        cache.removeIndexer(CacheImpl.NAMESPACE_INDEX);
        SharedProcessor<GenericKubernetesResource> processor = new SharedProcessor<>(handlerThread, "timing");
        ProcessorStore<GenericKubernetesResource> store = new ProcessorStore<>(cache, processor);
        processor.addProcessorListener(new NameReader(names), 0, List::of);

        Map<String, Double> out = new LinkedHashMap<>();
        list(out, "initial list", store, decode(json, serialization));
        drain(handlerThread, processor);
        list(out, "relist, nothing changed", store, decode(json, serialization));
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            if (i % 100 == 1) {
                continue; // deleted
            }
            changed.add(
                    i % 100 == 0
                            ? json.get(i).replace("\"resourceVersion\":\"", "\"resourceVersion\":\"9")
                            : json.get(i));
        }
        list(out, "relist, 1 % changed, 1 % deleted", store, decode(changed, serialization));
        drain(handlerThread, processor);
        handlerThread.shutdown();
        handlerThread.awaitTermination(1, TimeUnit.MINUTES);
        return out;
    }

    /**
     * Times a list: all of it, and its longest single turn of the event loop, the closing {@code syncList} (each page
     * is its own turn, when its response arrives).
     */
    private static void list(
            Map<String, Double> out,
            String phase,
            ProcessorStore<GenericKubernetesResource> store,
            List<GenericKubernetesResource> items) {
        long start = System.nanoTime();
        Set<String> keys = new HashSet<>();
        for (int from = 0; from < items.size(); from += (int) KindInformer.LIST_PAGE_SIZE) {
            List<GenericKubernetesResource> page =
                    items.subList(from, Math.min(items.size(), from + (int) KindInformer.LIST_PAGE_SIZE));
            page.forEach(i -> keys.add(store.getKey(i)));
            store.update(page);
        }
        long sync = System.nanoTime();
        store.syncList(keys);
        long end = System.nanoTime();
        out.put(phase + ": all pages and syncList", (end - start) / 1e6);
        out.put(phase + ": syncList alone", (end - sync) / 1e6);
    }

    private static void drain(ExecutorService handlerThread, SharedProcessor<GenericKubernetesResource> processor)
            throws Exception {
        // the serial executor hands its queue to the thread task by task: wait until an empty task runs after all
        for (int i = 0; i < 3; i++) {
            processor.getSerialExecutor().execute(() -> {});
            handlerThread.submit(() -> {}).get(5, TimeUnit.MINUTES);
        }
        Thread.sleep(200);
    }

    private static List<GenericKubernetesResource> decode(List<String> json, KubernetesSerialization s) {
        return json.stream()
                .map(j -> s.unmarshal(j, GenericKubernetesResource.class))
                .toList();
    }

    private static List<String> configMaps(int n, KubernetesSerialization s) {
        Random random = new Random(20);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            GenericKubernetesResource cm = new GenericKubernetesResource();
            cm.setMetadata(new ObjectMetaBuilder()
                    .withNamespace("bench-" + (i % 20))
                    .withName("cm-" + i)
                    .withResourceVersion(String.valueOf(100_000 + i))
                    .withUid("00000000-0000-0000-0000-" + String.format("%012d", i))
                    .withCreationTimestamp("2026-12-04T20:00:00Z")
                    .withLabels(Map.of("app.kubernetes.io/instance", "app-" + (i % 10), "tier", "bench"))
                    .build());
            Map<String, Object> data = new LinkedHashMap<>();
            int keys = 5 + random.nextInt(11);
            for (int k = 0; k < keys; k++) {
                char[] value = new char[8 + random.nextInt(40)];
                Arrays.fill(value, (char) ('a' + random.nextInt(26)));
                data.put("key-" + k, new String(value));
            }
            cm.setAdditionalProperty("data", data);
            out.add(s.asJson(cm));
        }
        return out;
    }

    /** Reads what the agent's handler reads of each event: name and namespace. */
    private record NameReader(AtomicLong names) implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource obj) {
            read(obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            read(newObj);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            read(obj);
        }

        private void read(GenericKubernetesResource obj) {
            names.addAndGet(
                    obj.getMetadata().getName().length() + (obj.getMetadata().getNamespace() == null ? 0 : 1));
        }
    }
}
