package dev.underpass.dataplane.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one S3 REST request asks for, in the terms IAM evaluates: the action ({@code s3:GetObject}, …), the resource
 * ARN and the request's S3 condition keys. A pure function of the method, the request target (path and query, still
 * percent-encoded) and the headers; it never reads the body.
 *
 * <p>The bucket comes from the host when it is virtual-hosted ({@code bucket.s3.us-east-1.amazonaws.com},
 * {@code bucket.s3.amazonaws.com}, {@code bucket.s3-us-east-1.amazonaws.com}), else from the first path segment
 * (path style, and any host that is no S3 name, such as a loopback address). The mapping follows the "Actions,
 * resources, and condition keys for Amazon S3" page of the Service Authorization Reference: HeadObject needs
 * {@code s3:GetObject}, HeadBucket and ListObjects(V2) {@code s3:ListBucket}, the multipart calls
 * {@code s3:PutObject} except AbortMultipartUpload and ListParts, which have their own actions. A CopyObject (a PUT
 * with {@code x-amz-copy-source}) is two checks: {@code s3:PutObject} on the target and {@code s3:GetObject} on the
 * source. DeleteObjects (POST {@code ?delete}) names its keys in the body, which is not read: it is checked as
 * {@code s3:DeleteObject} on {@code bucket/*}.
 */
public record S3Call(String bucket, String key, List<ActionCheck> checks, Map<String, Object> context) {
    public S3Call {
        checks = java.util.Collections.unmodifiableList(checks);
        context = java.util.Collections.unmodifiableMap(context);
    }

    /** The request headers that are S3 condition keys ({@code s3:<header>}). */
    private static final String[] KEYED_HEADERS = {"x-amz-acl", "x-amz-server-side-encryption",
        "x-amz-storage-class", "x-amz-content-sha256", "x-amz-copy-source", "x-amz-metadata-directive",
        "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-grant-read", "x-amz-grant-full-control",
        "x-amz-object-lock-mode"};
    private static final String[] HEADER_KEYS = java.util.Arrays.stream(KEYED_HEADERS).map(h -> "s3:" + h)
            .toArray(String[]::new);

    /** The first (main) action, which names the call in logs and in AccessDenied messages. */
    public String action() {
        return checks.get(0).action();
    }

    public String resource() {
        return checks.get(0).resource();
    }

    /**
     * Reads one request. {@code target} is the request line's target ({@code /bucket/key?x=y}), {@code headers}
     * have lower-case names.
     */
    public static S3Call of(String method, String target, Map<String, String> headers) {
        String m = method.toUpperCase(Locale.ROOT);
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
        String host = hostOnly(headers.getOrDefault("host", ""));
        String bucket = virtualHostedBucket(host);
        String path = decode(rawPath.startsWith("/") ? rawPath.substring(1) : rawPath);
        String key;
        if (bucket == null) {
            int slash = path.indexOf('/');
            bucket = slash < 0 ? path : path.substring(0, slash);
            key = slash < 0 ? "" : path.substring(slash + 1);
        } else {
            key = path;
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("aws:SecureTransport", "false");
        String auth = headers.get("authorization");
        context.put("s3:authType", auth != null ? "REST-HEADER" : query.containsKey("X-Amz-Credential")
                ? "REST-QUERY-STRING" : "POST");
        if ((auth != null && auth.startsWith("AWS4-")) || query.containsKey("X-Amz-Credential")) {
            context.put("s3:signatureversion", "AWS4-HMAC-SHA256");
        }
        for (int i = 0; i < KEYED_HEADERS.length; i++) {
            String v = headers.get(KEYED_HEADERS[i]);
            if (v != null) {
                context.put(HEADER_KEYS[i], v);
            }
        }
        List<ActionCheck> checks = new ArrayList<>();
        if (bucket.isEmpty()) {
            checks.add(new ActionCheck("s3:ListAllMyBuckets", "*"));
            return new S3Call(null, null, checks, context);
        }
        String bucketArn = "arn:aws:s3:::" + bucket;
        if (key.isEmpty()) {
            checks.add(new ActionCheck(bucketAction(m, query, context), bucketArn.concat(
                    m.equals("POST") && query.containsKey("delete") ? "/*" : "")));
            return new S3Call(bucket, null, checks, context);
        }
        String objectArn = bucketArn + "/" + key;
        checks.add(new ActionCheck(objectAction(m, query, headers), objectArn));
        String copySource = headers.get("x-amz-copy-source");
        if (copySource != null && m.equals("PUT") && !query.containsKey("uploadId")) {
            String src = decode(copySource.startsWith("/") ? copySource.substring(1) : copySource);
            int v = src.indexOf("?versionId=");
            checks.add(new ActionCheck(v < 0 ? "s3:GetObject" : "s3:GetObjectVersion",
                    "arn:aws:s3:::" + (v < 0 ? src : src.substring(0, v))));
        } else if (copySource != null) {
            // UploadPartCopy: the part is written (s3:PutObject), the source read.
            String src = decode(copySource.startsWith("/") ? copySource.substring(1) : copySource);
            int v = src.indexOf("?versionId=");
            checks.add(new ActionCheck("s3:GetObject", "arn:aws:s3:::" + (v < 0 ? src : src.substring(0, v))));
        }
        return new S3Call(bucket, key, checks, context);
    }

    private static String bucketAction(String m, Map<String, String> query, Map<String, Object> context) {
        String sub = subresource(query, List.of("uploads", "versions", "location", "policy", "acl", "tagging",
                "versioning", "cors", "lifecycle", "website", "encryption", "notification", "logging",
                "replication", "ownershipControls", "publicAccessBlock", "object-lock", "accelerate",
                "requestPayment", "policyStatus", "delete"));
        return switch (m) {
            case "GET", "HEAD" -> {
                if (sub == null) {
                    for (String k : List.of("prefix", "delimiter", "max-keys")) {
                        String v = query.get(k);
                        if (v != null) {
                            context.put("s3:" + k, v);
                        }
                    }
                    yield "s3:ListBucket";
                }
                yield switch (sub) {
                    case "uploads" -> "s3:ListBucketMultipartUploads";
                    case "versions" -> "s3:ListBucketVersions";
                    case "location" -> "s3:GetBucketLocation";
                    case "policy" -> "s3:GetBucketPolicy";
                    case "acl" -> "s3:GetBucketAcl";
                    case "tagging" -> "s3:GetBucketTagging";
                    case "versioning" -> "s3:GetBucketVersioning";
                    case "cors" -> "s3:GetBucketCORS";
                    case "lifecycle" -> "s3:GetLifecycleConfiguration";
                    case "website" -> "s3:GetBucketWebsite";
                    case "encryption" -> "s3:GetEncryptionConfiguration";
                    case "notification" -> "s3:GetBucketNotification";
                    case "logging" -> "s3:GetBucketLogging";
                    case "replication" -> "s3:GetReplicationConfiguration";
                    case "ownershipControls" -> "s3:GetBucketOwnershipControls";
                    case "publicAccessBlock" -> "s3:GetBucketPublicAccessBlock";
                    case "object-lock" -> "s3:GetBucketObjectLockConfiguration";
                    case "accelerate" -> "s3:GetAccelerateConfiguration";
                    case "requestPayment" -> "s3:GetBucketRequestPayment";
                    case "policyStatus" -> "s3:GetBucketPolicyStatus";
                    default -> "s3:ListBucket";
                };
            }
            case "PUT" -> sub == null ? "s3:CreateBucket" : switch (sub) {
                case "policy" -> "s3:PutBucketPolicy";
                case "acl" -> "s3:PutBucketAcl";
                case "tagging" -> "s3:PutBucketTagging";
                case "versioning" -> "s3:PutBucketVersioning";
                case "cors" -> "s3:PutBucketCORS";
                case "lifecycle" -> "s3:PutLifecycleConfiguration";
                case "website" -> "s3:PutBucketWebsite";
                case "encryption" -> "s3:PutEncryptionConfiguration";
                case "notification" -> "s3:PutBucketNotification";
                case "logging" -> "s3:PutBucketLogging";
                case "replication" -> "s3:PutReplicationConfiguration";
                case "ownershipControls" -> "s3:PutBucketOwnershipControls";
                case "publicAccessBlock" -> "s3:PutBucketPublicAccessBlock";
                case "object-lock" -> "s3:PutBucketObjectLockConfiguration";
                case "accelerate" -> "s3:PutAccelerateConfiguration";
                case "requestPayment" -> "s3:PutBucketRequestPayment";
                default -> "s3:CreateBucket";
            };
            case "DELETE" -> sub == null ? "s3:DeleteBucket" : switch (sub) {
                case "policy" -> "s3:DeleteBucketPolicy";
                // S3 has no separate actions for deleting these configurations: the Put action covers them.
                case "tagging" -> "s3:PutBucketTagging";
                case "cors" -> "s3:PutBucketCORS";
                case "lifecycle" -> "s3:PutLifecycleConfiguration";
                case "website" -> "s3:DeleteBucketWebsite";
                case "encryption" -> "s3:PutEncryptionConfiguration";
                case "replication" -> "s3:PutReplicationConfiguration";
                case "ownershipControls" -> "s3:PutBucketOwnershipControls";
                case "publicAccessBlock" -> "s3:PutBucketPublicAccessBlock";
                default -> "s3:DeleteBucket";
            };
            case "POST" -> "delete".equals(sub) ? "s3:DeleteObject" : "s3:PutObject";
            default -> "s3:ListBucket";
        };
    }

    private static String objectAction(String m, Map<String, String> query, Map<String, String> headers) {
        boolean version = query.containsKey("versionId");
        return switch (m) {
            case "GET", "HEAD" -> query.containsKey("uploadId") ? "s3:ListMultipartUploadParts"
                    : query.containsKey("acl") ? version ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl"
                    : query.containsKey("tagging") ? version ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging"
                    : query.containsKey("retention") ? "s3:GetObjectRetention"
                    : query.containsKey("legal-hold") ? "s3:GetObjectLegalHold"
                    : query.containsKey("attributes") ? version ? "s3:GetObjectVersionAttributes"
                            : "s3:GetObjectAttributes"
                    : version ? "s3:GetObjectVersion" : "s3:GetObject";
            case "PUT" -> query.containsKey("acl") ? version ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl"
                    : query.containsKey("tagging") ? version ? "s3:PutObjectVersionTagging" : "s3:PutObjectTagging"
                    : query.containsKey("retention") ? "s3:PutObjectRetention"
                    : query.containsKey("legal-hold") ? "s3:PutObjectLegalHold"
                    : "s3:PutObject";
            case "DELETE" -> query.containsKey("uploadId") ? "s3:AbortMultipartUpload"
                    : query.containsKey("tagging") ? version ? "s3:DeleteObjectVersionTagging"
                            : "s3:DeleteObjectTagging"
                    : version ? "s3:DeleteObjectVersion" : "s3:DeleteObject";
            case "POST" -> query.containsKey("restore") ? "s3:RestoreObject"
                    : query.containsKey("select") ? "s3:GetObject"
                    : "s3:PutObject"; // CreateMultipartUpload (?uploads) and CompleteMultipartUpload (?uploadId)
            default -> "s3:GetObject";
        };
    }

    private static String subresource(Map<String, String> query, List<String> names) {
        for (String n : names) {
            if (query.containsKey(n)) {
                return n;
            }
        }
        return null;
    }

    /** The bucket named by a virtual-hosted S3 host name, or null for path style. */
    static String virtualHostedBucket(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String marker : List.of(".s3.", ".s3-")) {
            int i = h.indexOf(marker);
            if (i > 0 && h.endsWith(".amazonaws.com")) {
                return host.substring(0, i);
            }
        }
        return null;
    }

    /** The region an S3 host name names ({@code s3.eu-west-1.amazonaws.com}); null when it names none. */
    public static String regionOfHost(String host) {
        String h = hostOnly(host).toLowerCase(Locale.ROOT);
        if (!h.endsWith(".amazonaws.com")) {
            return null;
        }
        String[] parts = h.substring(0, h.length() - ".amazonaws.com".length()).split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("s3") && i + 1 < parts.length) {
                return parts[i + 1];
            }
            if (parts[i].startsWith("s3-")) {
                return parts[i].substring(3);
            }
        }
        return h.equals("s3.amazonaws.com") || h.endsWith(".s3.amazonaws.com") ? "us-east-1" : null;
    }

    static String hostOnly(String host) {
        if (host.startsWith("[")) {
            return host;
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            out.putIfAbsent(decode(eq < 0 ? part : part.substring(0, eq)),
                    eq < 0 ? "" : decode(part.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s; // nothing encoded (and '+' stays '+')
        }
        // S3 keys may hold '+', which only a form decoder would turn into a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
