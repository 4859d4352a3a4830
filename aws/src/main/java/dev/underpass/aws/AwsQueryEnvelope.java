package dev.underpass.aws;

import dev.underpass.aws.wire.QueryDialect;
import dev.underpass.aws.wire.XmlBytes;
import dev.underpass.aws.wire.XmlEncoder;
import dev.underpass.model.AwsException;
import software.amazon.awssdk.core.SdkPojo;

/**
 * The awsQuery envelopes (ELBv2, STS): {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>} for
 * a result and {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>} for an error, each in the
 * service's XML namespace.
 */
public final class AwsQueryEnvelope {
    private AwsQueryEnvelope() {}

    public static AwsResponse result(String action, String requestId, SdkPojo response, String namespace) {
        XmlBytes out = XmlBytes.scratch();
        try {
            out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").raw(action).raw("Response xmlns=\"")
                    .raw(namespace).raw("\"><").raw(action).raw("Result>");
            XmlEncoder.members(out, response, QueryDialect.AWS_QUERY);
            out.raw("</").raw(action).raw("Result><ResponseMetadata><RequestId>").raw(requestId)
                    .raw("</RequestId></ResponseMetadata></").raw(action).raw("Response>");
            return AwsResponse.xml(200, out.finish());
        } finally {
            out.release();
        }
    }

    public static AwsResponse error(AwsException e, String requestId, String namespace) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"").append(namespace)
                .append("\"><Error><Type>").append(e.status() >= 500 ? "Receiver" : "Sender").append("</Type><Code>");
        XmlEncoder.text(sb, e.code());
        sb.append("</Code><Message>");
        XmlEncoder.text(sb, e.getMessage() == null ? "" : e.getMessage());
        sb.append("</Message></Error><RequestId>").append(requestId).append("</RequestId></ErrorResponse>");
        return AwsResponse.xmlError(e.status(), sb.toString(), e.code());
    }
}
