package io.driftwatch.emit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.Op;
import io.driftwatch.diff.YamlDiffContext;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DriftLogTest {

    private static final Instant ONSET = Instant.parse("2026-11-21T10:00:00Z");
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.driftwatch.drift");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void everyLineStatesTheCauseAtTheTopAndInTheDrift() throws Exception {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", "settings");
        DriftRecord r = new DriftRecord(
                "id-1",
                new Drift(
                        key,
                        "v1",
                        "shop",
                        DriftType.MISSING,
                        Cause.DELETED,
                        "ConfigMap shop/settings: missing (deleted)",
                        List.of(),
                        null),
                ONSET,
                ONSET,
                null);

        new DriftLog("prod-eu-1").log(new DriftEvent(DriftEvent.Type.OPENED, r), ONSET);

        JsonNode line = json(appender.list.get(0));
        assertThat(line.path("message").asText()).isEqualTo("drift opened: ConfigMap shop/settings: missing (deleted)");
        assertThat(line.path("event").asText()).isEqualTo("opened");
        assertThat(line.path("cause").asText()).isEqualTo("deleted");
        assertThat(line.path("drift").path("cause").asText()).isEqualTo("deleted");
    }

    @Test
    void anUpdatedDriftNamesItsActorsAtTheTopAndPerChangeWithoutTokens() throws Exception {
        ObjectKey key = new ObjectKey("apps", "Deployment", "shop", "web");
        Actor carol = new Actor(
                "carol",
                List.of("ops", "system:authenticated"),
                "alice",
                "10.0.0.7",
                "kubectl/v1.31.0",
                "a-1",
                Actor.Match.EXACT);
        Change replicas = new Change(
                        "spec.replicas",
                        "/spec/replicas",
                        Op.CHANGED,
                        Cause.OUT_OF_BAND,
                        null,
                        null,
                        "kubectl",
                        "Update",
                        "scale",
                        ONSET)
                .attributed(carol, Cause.OUT_OF_BAND);
        Change unattributed = new Change(
                "metadata.labels.a",
                "/metadata/labels/a",
                Op.REMOVED,
                Cause.UNKNOWN,
                null,
                null,
                null,
                null,
                null,
                null);
        DriftRecord r = new DriftRecord(
                "id-2",
                new Drift(
                        key,
                        "apps/v1",
                        "shop",
                        DriftType.MODIFIED,
                        Cause.OUT_OF_BAND,
                        "Deployment shop/web: replicas 3 → 5",
                        List.of(replicas, unattributed),
                        null),
                ONSET,
                ONSET,
                null);

        new DriftLog("prod-eu-1").log(new DriftEvent(DriftEvent.Type.UPDATED, r), ONSET);

        JsonNode line = json(appender.list.get(0));
        assertThat(line.path("event").asText()).isEqualTo("updated");
        assertThat(line.path("actors"))
                .isEqualTo(new ObjectMapper()
                        .readTree("[{\"username\":\"carol\",\"impersonatedBy\":\"alice\",\"match\":\"exact\","
                                + "\"fields\":[\"spec.replicas\"]}]"));
        JsonNode actor = line.path("drift").path("changes").get(0).path("actor");
        assertThat(actor.path("username").asText()).isEqualTo("carol");
        assertThat(actor.path("impersonatedBy").asText()).isEqualTo("alice");
        assertThat(actor.path("auditID").asText()).isEqualTo("a-1");
        assertThat(line.path("drift").path("changes").get(1).path("actor").isNull())
                .isTrue();
        assertThat(line.toString()).doesNotContainIgnoringCase("bearer").doesNotContain("token");
    }

    @Test
    void withoutAuditTheLineHasNoActors() throws Exception {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", "settings");
        DriftRecord r = new DriftRecord(
                "id-3",
                new Drift(
                        key,
                        "v1",
                        "shop",
                        DriftType.EXTRA,
                        Cause.UNKNOWN,
                        "ConfigMap shop/settings: extra",
                        List.of(),
                        null),
                ONSET,
                ONSET,
                null);

        new DriftLog("prod-eu-1").log(new DriftEvent(DriftEvent.Type.OPENED, r), ONSET);

        assertThat(json(appender.list.get(0)).has("actors")).isFalse();
    }

    @Test
    void aWholeObjectDiffIsLoggedWithThreeLinesOfContext() throws Exception {
        StringBuilder desired = new StringBuilder(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: shop}\n" + "data:\n");
        for (int i = 0; i < 40; i++) {
            desired.append(String.format("  key-%02d: value %d%n", i, i));
        }
        ObjectNode want = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(desired.toString());
        ObjectNode live = want.deepCopy();
        ((ObjectNode) live.get("data")).put("key-20", "edited");
        Drift drift = DiffEngine.withDefaults(
                        DiffOptions.defaults().withIncludeYamlDiff(true).withYamlDiffContextLines(2_000))
                .diff(new DesiredObject(want, "shop", null), live, true)
                .orElseThrow();
        assertThat(drift.yamlDiff()).contains(" key-00: value 0", " key-39: value 39");

        new DriftLog("prod-eu-1")
                .log(new DriftEvent(DriftEvent.Type.OPENED, new DriftRecord("id-4", drift, ONSET, ONSET, null)), ONSET);

        String logged = json(appender.list.get(0)).path("drift").path("diff").asText();
        assertThat(logged).isEqualTo(YamlDiffContext.narrowed(drift.yamlDiff()));
        assertThat(logged.lines()).hasSize(2 + 1 + 8).contains("+  key-20: edited");
    }

    /** The line as the production JSON encoder writes it. */
    private JsonNode json(ILoggingEvent event) throws Exception {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(logger.getLoggerContext());
        encoder.start();
        return new ObjectMapper().readTree(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }
}
