package dev.underpass.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.aws.elbv2.Elbv2Api;
import dev.underpass.aws.org.OrganizationsApi;
import dev.underpass.aws.ram.RamApi;
import dev.underpass.aws.ssm.SsmApi;
import dev.underpass.aws.sts.StsApi;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;

/**
 * Work that {@code underpass serve} needs before it binds its port and that does not depend on the command line:
 * building the AWS APIs' operation tables (which loads and links about 900 request and response classes of the AWS
 * SDK), Netty's platform probing and Jackson's mapper set-up. {@link #begin} does it on a second thread
 * while the main thread builds picocli's model and parses the arguments, the slowest part of a start on an empty
 * data dir; {@link #await} waits for it before the server starts. What it builds is thrown away (the server builds
 * its own over the real store, then from classes already loaded and linked), so it changes nothing the server does
 * or answers. The main thread waits for it before it touches any of those classes, so no class is initialised by
 * both threads at once.
 */
public final class Prestart {
    private static volatile Prestart started;

    private final Thread thread;
    private volatile Throwable failure;

    private Prestart() {
        this.thread = Thread.ofPlatform().name("underpass-prestart").daemon(true).unstarted(this::run);
    }

    /** Starts the work on its own thread (once per process). */
    public static synchronized void begin() {
        if (started == null) {
            Prestart p = new Prestart();
            started = p;
            p.thread.start();
        }
    }

    /**
     * Waits for the work {@link #begin} started, if any; rethrows what it threw, so that an error there is not
     * hidden (the server's own construction would meet it again anyway).
     */
    public static void await() throws InterruptedException {
        Prestart p = started;
        if (p == null) {
            return;
        }
        p.thread.join();
        Throwable t = p.failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private void run() {
        try {
            warm();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** The work itself: the number of operations the APIs registered (for the test). */
    static int warm() {
        // The APIs only keep their store: built over none, they register their operations as the server's will.
        int operations = new Ec2Api(null, Ec2Api.Settings.defaults()).actions().size()
                + new StsApi(null).actions().size()
                + new SsmApi(null).actions().size()
                + new OrganizationsApi(null).actions().size()
                + new RamApi(null, Duration.ZERO).actions().size()
                + new Elbv2Api(null, Elbv2Api.Settings.defaults()).actions().size();
        // Netty's platform probing (its static initialisers look at the JDK, Unsafe, the foreign memory API) and
        // Jackson's mapper set-up (date formats, locale data), which the store's decoding needs first.
        NioIoHandler.newFactory();
        new HttpServerCodec();
        new ObjectMapper();
        return operations;
    }
}
