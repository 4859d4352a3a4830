package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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

    /**
     * The data plane's entry for the resource (an instance, an interface, an endpoint, a load balancer's first
     * node): the loopback address, the private address it stands for and the interface.
     */
    public static LoopbackAddresses.Address entry(DataPlane dataPlane, String resourceId) {
        return dataPlane.addresses().all().stream().filter(a -> a.resourceId().equals(resourceId)).findFirst()
                .orElseThrow(() -> new AssertionError("the data plane has no address for " + resourceId));
    }

    /** The loopback address the data plane gave the resource (an instance, an interface, an endpoint). */
    public static String address(DataPlane dataPlane, String resourceId) {
        return entry(dataPlane, resourceId).loopback();
    }

    /** The entries of a load balancer's nodes, one a zone. */
    public static List<LoopbackAddresses.Address> nodes(DataPlane dataPlane, String loadBalancerArn) {
        return dataPlane.addresses().all().stream().filter(a -> a.resourceId().equals(loadBalancerArn)).toList();
    }

    /** The entry of a load balancer's node in {@code zone}. */
    public static LoopbackAddresses.Address node(DataPlane dataPlane, String loadBalancerArn, String zone) {
        return nodes(dataPlane, loadBalancerArn).stream().filter(a -> a.availabilityZone().equals(zone)).findFirst()
                .orElseThrow(() -> new AssertionError("no node of " + loadBalancerArn + " in " + zone));
    }

    /**
     * A UDP echo bound to {@code address:port}: each datagram is answered, to its sender, with what {@code answer}
     * makes of it, on a daemon thread named {@code name} until the socket is closed.
     */
    public static DatagramSocket udpEcho(String address, int port, Function<DatagramPacket, byte[]> answer,
            String name) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] out = answer.apply(p);
                    s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // closed
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return s;
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
