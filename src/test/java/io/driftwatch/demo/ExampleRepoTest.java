package io.driftwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled example app and the Git repository the demo makes of it. */
class ExampleRepoTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void commitsEveryExampleManifestOnMain(@TempDir Path tmp) throws Exception {
        ExampleRepo repo = ExampleRepo.create(tmp.resolve("repo"));

        assertThat(repo.url()).isEqualTo("file://" + tmp.resolve("repo").toAbsolutePath());
        try (Git git = Git.open(repo.dir().toFile())) {
            assertThat(git.getRepository().getBranch()).isEqualTo(ExampleRepo.BRANCH);
            RevCommit head = git.log()
                    .add(git.getRepository().resolve(Constants.HEAD))
                    .setMaxCount(1)
                    .call()
                    .iterator()
                    .next();
            assertThat(head.getName()).isEqualTo(repo.commit());
            List<String> paths = new ArrayList<>();
            try (TreeWalk walk = new TreeWalk(git.getRepository())) {
                walk.addTree(head.getTree());
                walk.setRecursive(true);
                while (walk.next()) {
                    paths.add(walk.getPathString());
                }
            }
            assertThat(paths)
                    .containsExactlyElementsOf(ExampleRepo.FILES.stream()
                            .map(f -> ExampleRepo.APP_PATH + "/" + f)
                            .toList());
        }
        assertThat(git(repo).isClean())
                .as("working tree clean after the commit")
                .isTrue();
    }

    private static org.eclipse.jgit.api.Status git(ExampleRepo repo) throws Exception {
        try (Git git = Git.open(repo.dir().toFile())) {
            return git.status().call();
        }
    }

    @Test
    void exampleIsASmallRealisticAppWithTheDeploymentTheDemoEdits() throws Exception {
        List<String> kinds = new ArrayList<>();
        JsonNode deployment = null;
        for (String file : ExampleRepo.FILES) {
            JsonNode doc = YAML.readTree(ExampleRepo.manifest(file));
            kinds.add(doc.path("kind").asText());
            if (doc.path("kind").asText().equals("Deployment")) {
                deployment = doc;
            }
        }
        assertThat(kinds).containsExactly("Namespace", "ConfigMap", "Deployment", "Service");
        assertThat(deployment).isNotNull();
        assertThat(deployment.path("metadata").path("name").asText()).isEqualTo(Demo.DEPLOYMENT);
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployment
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0)
                        .path("env")
                        .findValuesAsText("name"))
                .containsExactly("APP_ENV")
                .doesNotContain("LOG_LEVEL");
    }
}
