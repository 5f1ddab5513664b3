package io.driftwatch.localkube;

/** Started in a child JVM by {@link OrphanReapingIT}: starts a cluster, says where, and waits to be killed. */
public final class StartClusterAndWait {

    private StartClusterAndWait() {}

    public static void main(String[] args) throws InterruptedException {
        LocalKubeCluster cluster = LocalKubeCluster.start();
        System.out.println("READY " + cluster.kubeconfig().getParent());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
