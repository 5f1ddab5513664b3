package io.driftwatch.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.OpenApiListSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListSchemaMemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "/openapi/v3/apis/apps/v1?hash=E6837BF046F7D2603C949276F19DA205";
    private static final String CHANGED = "/openapi/v3/apis/apps/v1?hash=0123456789ABCDEF0123456789ABCDEF";
    private static final List<String> CONTAINERS = List.of("spec", "template", "spec", "containers");
    private static final List<String> MEMORY =
            List.of("spec", "template", "spec", "containers", "resources", "limits", "memory");

    private final List<String> fetched = new ArrayList<>();

    private JsonNode fetch(String url) {
        fetched.add(url);
        try (InputStream in = getClass().getResourceAsStream("/diff/openapi-apps-v1.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aHashedDocumentIsFetchedOnceAndGivesWhatTheWholeDocumentGives() {
        ListSchemaMemo memo = new ListSchemaMemo();

        ListSchema first = memo.get(URL, this::fetch);
        ListSchema second = memo.get(URL, this::fetch);

        assertThat(fetched).containsExactly(URL);
        assertThat(second).isSameAs(first);
        ListSchema whole = OpenApiListSchema.fromOpenApiV3(fetch(URL));
        for (List<String> path : List.of(CONTAINERS, List.of("spec", "template", "spec", "tolerations"))) {
            assertThat(first.listType("apps", "Deployment", path))
                    .isPresent()
                    .isEqualTo(whole.listType("apps", "Deployment", path));
        }
        assertThat(first.format("apps", "Deployment", MEMORY))
                .isPresent()
                .isEqualTo(whole.format("apps", "Deployment", MEMORY));
    }

    @Test
    void aChangedDocumentHasANewNameAndIsFetchedAgainAndTheOldOneIsDroppedWhenNoLongerListed() {
        ListSchemaMemo memo = new ListSchemaMemo();
        memo.get(URL, this::fetch);

        memo.retainOnly(List.of(CHANGED));
        memo.get(CHANGED, this::fetch);
        memo.get(URL, this::fetch);

        assertThat(fetched).containsExactly(URL, CHANGED, URL);
        assertThat(memo.size()).isEqualTo(2);
        memo.retainOnly(List.of());
        assertThat(memo.size()).isZero();
    }

    @Test
    void aDocumentNamedWithoutAHashIsFetchedEveryTimeAndNotKept() {
        ListSchemaMemo memo = new ListSchemaMemo();
        String unhashed = "/openapi/v3/apis/apps/v1";

        memo.get(unhashed, this::fetch);
        memo.get(unhashed, this::fetch);

        assertThat(fetched).containsExactly(unhashed, unhashed);
        assertThat(memo.size()).isZero();
    }
}
