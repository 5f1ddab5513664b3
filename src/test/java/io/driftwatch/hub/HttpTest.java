package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpTest {

    @Test
    void onlyApplicationJsonWithOrWithoutParametersIsJson() {
        assertThat(Http.isJson("application/json")).isTrue();
        assertThat(Http.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(Http.isJson("application/jsonx")).isFalse();
        assertThat(Http.isJson("application/json-seq")).isFalse();
        assertThat(Http.isJson("text/plain; application/json")).isFalse();
        assertThat(Http.isJson("")).isFalse();
    }
}
