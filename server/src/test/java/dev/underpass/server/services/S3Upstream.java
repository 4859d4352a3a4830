package dev.underpass.server.services;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible upstream for tests: s3proxy over jclouds' in-memory ("transient") blob store on a free port of
 * 127.0.0.1, checking SigV4 signatures for one key, so that a request the proxy forwards with a changed byte fails.
 */
final class S3Upstream {
    static final String ACCESS_KEY = "111111111111";
    static final String SECRET = "underpass-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    S3Upstream() throws Exception {
        Properties p = new Properties();
        context = ContextBuilder.newBuilder("transient").credentials("identity", "credential").overrides(p)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET).build();
        proxy.start();
        for (int i = 0; i < 500 && !proxy.getState().equals("STARTED"); i++) {
            Thread.sleep(10);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    void stop() throws Exception {
        proxy.stop();
        context.close();
    }
}
