package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSetTest {

    private static final PathElement SPEC = new PathElement.Field("spec");
    private static final PathElement CONTAINERS = new PathElement.Field("containers");

    @Test
    void decodesFieldKeyValueAndIndexSegments() {
        assertThat(FieldSet.parseElement("f:replicas")).isEqualTo(new PathElement.Field("replicas"));
        assertThat(FieldSet.parseElement("k:{\"name\":\"web\"}"))
                .isEqualTo(new PathElement.Key(Map.of("name", "s:web")));
        assertThat(FieldSet.parseElement("v:\"example.com/finalizer\""))
                .isEqualTo(new PathElement.Value("s:example.com/finalizer"));
        assertThat(FieldSet.parseElement("i:3")).isEqualTo(new PathElement.Index(3));
    }

    @Test
    void keyElementsCompareIndependentOfFieldOrderAndNumberSpelling() {
        assertThat(FieldSet.parseElement("k:{\"protocol\":\"TCP\",\"containerPort\":8080}"))
                .isEqualTo(FieldSet.parseElement("k:{\"containerPort\":8080.0,\"protocol\":\"TCP\"}"));
        assertThat(FieldSet.parseElement("k:{\"port\":53,\"protocol\":\"UDP\"}"))
                .isNotEqualTo(FieldSet.parseElement("k:{\"port\":53,\"protocol\":\"TCP\"}"));
    }

    @Test
    void skipsMalformedSegments() {
        assertThat(FieldSet.parseElement("x:foo")).isNull();
        assertThat(FieldSet.parseElement("k:{not json")).isNull();
        assertThat(FieldSet.parseElement("i:two")).isNull();
        assertThat(FieldSet.parseElement(".")).isNull();
        FieldSet set = FieldSet.decode(json("{\"f:a\":{},\"bogus\":{},\"k:[1]\":{}}"));
        assertThat(set.children()).containsOnlyKeys(new PathElement.Field("a"));
    }

    @Test
    void recordsTheDotMarkerAsOwningTheElementItself() {
        FieldSet set = FieldSet.decode(json("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}}}"));
        FieldSet labels = set.child(new PathElement.Field("metadata")).child(new PathElement.Field("labels"));
        assertThat(labels.ownsSelf()).isTrue();
        assertThat(labels.children()).containsOnlyKeys(new PathElement.Field("a"));
    }

    @Test
    void ownsAnExactPathMoreSpecificallyThanAnAtomicAncestor() {
        FieldSet fields = FieldSet.decode(json("""
                {"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:args":{}}}}}"""));
        PathElement web = FieldSet.parseElement("k:{\"name\":\"web\"}");
        List<PathElement> image = List.of(SPEC, CONTAINERS, web, new PathElement.Field("image"));
        List<PathElement> argsElement =
                List.of(SPEC, CONTAINERS, web, new PathElement.Field("args"), new PathElement.Index(1));
        List<PathElement> env = List.of(SPEC, CONTAINERS, web, new PathElement.Field("env"));

        assertThat(fields.ownershipScore(image)).isEqualTo(5);
        assertThat(fields.ownershipScore(argsElement))
                .as("atomic args owned whole")
                .isEqualTo(4);
        assertThat(fields.ownershipScore(env)).isZero();
    }

    @Test
    void pathsThatStopInsideAnOwnedMapAreNotOwned() {
        FieldSet fields = FieldSet.decode(json("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}}}"));
        List<PathElement> other =
                List.of(new PathElement.Field("metadata"), new PathElement.Field("labels"), new PathElement.Field("b"));
        assertThat(fields.ownershipScore(other)).isZero();
    }

    @Test
    void managedFieldsPicksTheMostSpecificThenTheMostRecentOwner() {
        ManagedFields managed = ManagedFields.of(json("""
                {"metadata":{"managedFields":[
                  {"manager":"applier","operation":"Apply","time":"2026-11-20T09:00:00Z","fieldsType":"FieldsV1",
                   "fieldsV1":{"f:spec":{"f:replicas":{},"f:args":{}}}},
                  {"manager":"later","operation":"Update","time":"2026-11-21T09:00:00Z","fieldsType":"FieldsV1",
                   "fieldsV1":{"f:spec":{"f:replicas":{}}}},
                  {"manager":"ignored","operation":"Update","fieldsType":"FieldsV2","fieldsV1":{"f:spec":{"f:args":{}}}}
                ]}}"""));
        assertThat(managed.owner(List.of(SPEC, new PathElement.Field("replicas"))))
                .get()
                .extracting(ManagedFields.Entry::manager)
                .isEqualTo("later");
        assertThat(managed.owner(List.of(SPEC, new PathElement.Field("args"), new PathElement.Index(0))))
                .get()
                .extracting(ManagedFields.Entry::manager)
                .isEqualTo("applier");
        assertThat(managed.owner(List.of(SPEC, new PathElement.Field("paused"))))
                .isEmpty();
    }
}
