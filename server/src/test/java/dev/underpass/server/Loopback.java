package dev.underpass.server;

import dev.underpass.dataplane.DataPlane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
