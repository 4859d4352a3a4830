package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.dataplane.DataPlane;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Steps every loopback data-plane test takes: start an instance to own an address, find the loopback address the
 * data plane gave a resource, and pick a free port on 127.0.0.1. (Those tests run on Linux only, where all of
 * 127.0.0.0/8 reaches loopback: each class says so with {@code @EnabledOnOs(OS.LINUX)}.)
 */
public final class Loopback {
    private Loopback() {}

    /** Runs one small instance in the subnet and answers its id. */
    public static String instance(Ec2Client ec2, String subnetId) {
        return ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnetId)).instances().get(0).instanceId();
    }

    /** The loopback address the data plane gave the resource (an instance, an interface, an endpoint). */
    public static String address(DataPlane dataPlane, String resourceId) {
        return dataPlane.addresses().all().stream().filter(x -> x.resourceId().equals(resourceId)).findFirst()
                .orElseThrow().loopback();
    }

    /**
     * A TLS server context for a target "on" an instance: a fresh self-signed EC certificate ({@code
     * CN=target.invalid}, two days) that the JDK's keytool makes into a keystore in {@code dir}.
     */
    public static SSLContext selfSignedServer(Path dir) throws Exception {
        char[] password = "underpass".toCharArray();
        Path store = dir.resolve("target.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "target", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=target.invalid", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(password), "-keypass", new String(password))
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
