package io.driftwatch.source.git;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;

/**
 * JGit's Apache MINA sshd transport with exactly one private key and one known_hosts file, and nothing from the
 * user's {@code ~/.ssh}: no ssh config, no other identities, no agent. Hosts absent from known_hosts are refused (there
 * is nobody to ask). Keys are read when a session is opened (no key cache), so a rotated key file is picked up.
 */
final class KeyFileSshSessionFactory extends SshdSessionFactory {

    private final Path keyFile;
    private final Path knownHostsFile;

    KeyFileSshSessionFactory(Path keyFile, Path knownHostsFile) {
        super(null, new DefaultProxyDataFactory());
        this.keyFile = keyFile.toAbsolutePath();
        this.knownHostsFile = knownHostsFile.toAbsolutePath();
        File dir = this.keyFile.getParent().toFile();
        setHomeDirectory(dir);
        setSshDirectory(dir);
    }

    @Override
    protected List<Path> getDefaultIdentities(File sshDir) {
        return List.of(keyFile);
    }

    @Override
    protected List<Path> getDefaultKnownHostsFiles(File sshDir) {
        return List.of(knownHostsFile);
    }

    @Override
    protected SshConfigStore createSshConfigStore(File homeDir, File configFile, String localUserName) {
        return null;
    }

    @Override
    protected ConnectorFactory getConnectorFactory() {
        return null;
    }

    @Override
    protected String getDefaultPreferredAuthentications() {
        return "publickey";
    }
}
