package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesTest {

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource({
        "'\"1000m\"', '\"1\"'",
        "'0.5', '\"500m\"'",
        "'\"1000M\"', '\"1G\"'",
        "'\"1024Mi\"', '\"1Gi\"'",
        "'1', '\"1\"'",
        "'\"0.1\"', '\"100m\"'",
        "'\"1e3\"', '\"1k\"'",
    })
    void comparesQuantitiesByValue(String desired, String live) {
        assertThat(Values.scalarEquals(json(desired), json(live), true)).isTrue();
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource({
        "'\"500m\"', '\"0.6\"'",
        "'\"1G\"', '\"1Gi\"'",
        "'\"25%\"', '\"30%\"'",
        "'\"http\"', '\"8080\"'",
    })
    void tellsDifferentQuantitiesApart(String desired, String live) {
        assertThat(Values.scalarEquals(json(desired), json(live), true)).isFalse();
    }

    @Test
    void comparesQuantitySpellingsOnlyWhereTheFieldIsAQuantity() {
        assertThat(Values.scalarEquals(json("\"1000m\""), json("\"1\""), false)).isFalse();
        assertThat(Values.scalarEquals(json("10.0"), json("10"), false))
                .as("numbers always by value")
                .isTrue();
    }

    @Test
    void parsesQuantityValues() {
        assertThat(Values.quantityValue("500m")).isEqualByComparingTo(new BigDecimal("0.5"));
        assertThat(Values.quantityValue("2Ki")).isEqualByComparingTo(new BigDecimal("2048"));
        assertThat(Values.quantityValue("abc")).isNull();
        assertThat(Values.quantityValue("")).isNull();
    }

    @Test
    void treatsNullEmptyAndZeroDesiredValuesAsAbsent() {
        assertThat(Values.isEmpty(json("{}"))).isTrue();
        assertThat(Values.isEmpty(json("[]"))).isTrue();
        assertThat(Values.isEmpty(json("null"))).isTrue();
        assertThat(Values.isEmpty(json("0"))).isFalse();
        assertThat(Values.isEmptyOrZero(json("false"))).isTrue();
        assertThat(Values.isEmptyOrZero(json("\"\""))).isTrue();
        assertThat(Values.isEmptyOrZero(json("0"))).isTrue();
        assertThat(Values.isEmptyOrZero(json("\"x\""))).isFalse();
    }

    @Test
    void prunesNullsAndEmptyContainersRecursively() {
        var node = json("{\"a\":{\"b\":{},\"c\":null},\"d\":[],\"e\":[{},null,1],\"f\":\"x\"}");
        Values.prune(node);
        assertThat(node).isEqualTo(json("{\"e\":[{},1],\"f\":\"x\"}"));
    }
}
