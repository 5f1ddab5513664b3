package io.driftwatch.agent;

import io.driftwatch.config.AgentConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io} Lease. The lease is released on shutdown, so a rolling update
 * hands over at once; a crashed leader is replaced when its lease expires.
 */
final class LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final LeaderElector elector;
    private CompletableFuture<?> running;

    LeaderElection(
            KubernetesClient client, AgentConfig.LeaderElection config, String identity, Consumer<Boolean> leading) {
        this.elector = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(config.leaseName())
                        .withLock(new LeaseLock(config.leaseNamespace(), config.leaseName(), identity))
                        .withLeaseDuration(config.leaseDuration())
                        .withRenewDeadline(config.renewDeadline())
                        .withRetryPeriod(config.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> leading.accept(true),
                                () -> leading.accept(false),
                                newLeader -> LOG.info("leader is now {}", newLeader)))
                        .build())
                .build();
    }

    void start() {
        running = elector.start();
    }

    /**
     * Stops campaigning and releases the lease if held, synchronously, so the next replica takes over at once
     * instead of waiting for the lease to expire (the release must finish before the client closes).
     */
    void stop() {
        if (running != null) {
            running.cancel(true);
        }
        try {
            if (elector.release()) {
                LOG.info("released the leader lease");
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot release the leader lease: {}", e.getMessage());
        }
    }
}
