# syntax=docker/dockerfile:1
# driftwatch: agent, hub and CLI in one image.
#   docker build -t driftwatch .
#   docker run --rm driftwatch --help
# Three stages: kustomize and helm built from their Go modules at the versions Argo CD v3.5 bundles, the jar built
# with Maven, and a small JRE 17 runtime that runs as a non-root user.
# The base images are build arguments (defaults: the published images); scripts/build-image.sh builds local ones
# from Debian packages and builds this file with buildah, without a Docker engine.
ARG GOLANG_IMAGE=golang:1.26-bookworm
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${GOLANG_IMAGE} AS tools
ARG KUSTOMIZE_VERSION=5.8.1
ARG HELM_VERSION=4.2.1
ENV CGO_ENABLED=0 GOFLAGS=-trimpath GOBIN=/out
RUN go install "sigs.k8s.io/kustomize/kustomize/v5@v${KUSTOMIZE_VERSION}" \
 && go install -ldflags "-X helm.sh/helm/v4/internal/version.version=v${HELM_VERSION}" "helm.sh/helm/v4/cmd/helm@v${HELM_VERSION}"

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
# the tests are not in the build context (.dockerignore): they run in CI, not in the image build
RUN mvn -B -q package -Dmaven.test.skip=true -DskipUnitTests=true

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="driftwatch" \
      org.opencontainers.image.description="Detects, attributes and tracks drift between Git and live Kubernetes state" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=tools /out/kustomize /out/helm /usr/local/bin/
# The launcher (a shell script followed by the jar; `java -jar` still reads it, hence the old name as a link) and its
# class-data archive for one-shot commands, written here by this image's own java: an archive fits only the JVM that
# wrote it, so the build stage's is not copied. The training run diffs against a local HTTPS server (no network).
COPY --from=build /src/target/driftwatch /opt/driftwatch/driftwatch
RUN java -XX:ArchiveClassesAtExit=/opt/driftwatch/driftwatch.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Xlog:cds=off -Xlog:cds+dynamic=off -cp /opt/driftwatch/driftwatch io.driftwatch.cli.CdsTraining \
 && ln -s driftwatch /opt/driftwatch/driftwatch.jar
# A fixed non-root user (matches runAsUser in k8s/); writable state lives on mounted volumes only.
USER 65532:65532
WORKDIR /var/lib/driftwatch
# Size the heap from the container's memory limit; die on OOM instead of limping on.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC" \
    DRIFTWATCH_KUSTOMIZE=/usr/local/bin/kustomize \
    DRIFTWATCH_HELM=/usr/local/bin/helm
EXPOSE 8080
# The launcher picks the JVM options per command: one-shot commands (diff, version) get the quick ones and the archive,
# the agent and the hub the JVM's defaults plus JAVA_TOOL_OPTIONS above and JAVA_OPTS.
ENTRYPOINT ["/opt/driftwatch/driftwatch"]
CMD ["--help"]
