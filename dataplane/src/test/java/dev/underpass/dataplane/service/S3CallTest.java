package dev.underpass.dataplane.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3CallTest {
    private static final Map<String, String> PATH_STYLE = Map.of("host", "127.9.8.7:8080",
            "authorization", "AWS4-HMAC-SHA256 Credential=111111111111/20261205/us-east-1/s3/aws4_request, "
                    + "SignedHeaders=host, Signature=abc");

    private static S3Call call(String method, String target) {
        return S3Call.of(method, target, PATH_STYLE);
    }

    private static S3Call call(String method, String target, Map<String, String> extra) {
        Map<String, String> h = new java.util.HashMap<>(PATH_STYLE);
        h.putAll(extra);
        return S3Call.of(method, target, h);
    }

    @Test
    void getObject_pathStyle_namesTheObjectArn() {
        S3Call c = call("GET", "/bucket/dir/file%20name.txt");
        assertThat(c.bucket()).isEqualTo("bucket");
        assertThat(c.key()).isEqualTo("dir/file name.txt");
        assertThat(c.checks())
                .containsExactly(new ActionCheck("s3:GetObject", "arn:aws:s3:::bucket/dir/file name.txt"));
        assertThat(c.context()).containsEntry("s3:authType", "REST-HEADER")
                .containsEntry("s3:signatureversion", "AWS4-HMAC-SHA256").containsEntry("aws:SecureTransport", "false");
    }

    @Test
    void virtualHostedName_takesTheBucketFromTheHost() {
        S3Call c = S3Call.of("PUT", "/a+b.txt", Map.of("host", "my-bucket.s3.us-east-1.amazonaws.com",
                "x-amz-acl", "public-read"));
        assertThat(c.checks()).containsExactly(new ActionCheck("s3:PutObject", "arn:aws:s3:::my-bucket/a+b.txt"));
        assertThat(c.context()).containsEntry("s3:x-amz-acl", "public-read").containsEntry("s3:authType", "POST");
        assertThat(S3Call.regionOfHost("my-bucket.s3.us-east-1.amazonaws.com:443")).isEqualTo("us-east-1");
        assertThat(S3Call.regionOfHost("s3.amazonaws.com")).isEqualTo("us-east-1");
        assertThat(S3Call.regionOfHost("s3-eu-west-1.amazonaws.com")).isEqualTo("eu-west-1");
        assertThat(S3Call.regionOfHost("example.com")).isNull();
    }

    @Test
    void headObject_needsGetObject_andHeadBucket_needsListBucket() {
        assertThat(call("HEAD", "/b/k").action()).isEqualTo("s3:GetObject");
        assertThat(call("HEAD", "/b").action()).isEqualTo("s3:ListBucket");
    }

    @Test
    void listObjects_carriesPrefixDelimiterAndMaxKeys() {
        S3Call c = call("GET", "/b?list-type=2&prefix=logs%2F2026&delimiter=%2F&max-keys=10");
        assertThat(c.checks()).containsExactly(new ActionCheck("s3:ListBucket", "arn:aws:s3:::b"));
        assertThat(c.context()).containsEntry("s3:prefix", "logs/2026").containsEntry("s3:delimiter", "/")
                .containsEntry("s3:max-keys", "10");
    }

    @Test
    void multipartCalls_mapToPutObject_exceptAbortAndListParts() {
        assertThat(call("POST", "/b/k?uploads").action()).isEqualTo("s3:PutObject");
        assertThat(call("PUT", "/b/k?partNumber=1&uploadId=u").action()).isEqualTo("s3:PutObject");
        assertThat(call("POST", "/b/k?uploadId=u").action()).isEqualTo("s3:PutObject");
        assertThat(call("DELETE", "/b/k?uploadId=u").action()).isEqualTo("s3:AbortMultipartUpload");
        assertThat(call("GET", "/b/k?uploadId=u").action()).isEqualTo("s3:ListMultipartUploadParts");
        assertThat(call("GET", "/b?uploads").action()).isEqualTo("s3:ListBucketMultipartUploads");
    }

    @Test
    void copyObject_isPutOnTheTargetAndGetOnTheSource() {
        S3Call c = call("PUT", "/dst/k2", Map.of("x-amz-copy-source", "/src/k1"));
        assertThat(c.checks()).containsExactly(new ActionCheck("s3:PutObject", "arn:aws:s3:::dst/k2"),
                new ActionCheck("s3:GetObject", "arn:aws:s3:::src/k1"));
    }

    @Test
    void bucketAndServiceCalls() {
        assertThat(call("GET", "/").checks()).containsExactly(new ActionCheck("s3:ListAllMyBuckets", "*"));
        assertThat(call("PUT", "/b").action()).isEqualTo("s3:CreateBucket");
        assertThat(call("DELETE", "/b").action()).isEqualTo("s3:DeleteBucket");
        assertThat(call("PUT", "/b?policy").action()).isEqualTo("s3:PutBucketPolicy");
        assertThat(call("GET", "/b?location").action()).isEqualTo("s3:GetBucketLocation");
        assertThat(call("DELETE", "/b?tagging").action()).isEqualTo("s3:PutBucketTagging");
        S3Call delete = call("POST", "/b?delete");
        assertThat(delete.checks()).containsExactly(new ActionCheck("s3:DeleteObject", "arn:aws:s3:::b/*"));
        assertThat(call("DELETE", "/b/k?versionId=3").action()).isEqualTo("s3:DeleteObjectVersion");
        assertThat(call("GET", "/b/k?tagging").action()).isEqualTo("s3:GetObjectTagging");
    }

    @Test
    void presignedUrl_isQueryStringAuth() {
        S3Call c = S3Call.of("GET", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=111111111111%2F20261205"
                + "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc", Map.of("host", "127.9.8.7"));
        assertThat(c.context()).containsEntry("s3:authType", "REST-QUERY-STRING");
        RequestCredential cred = RequestCredential.of(Map.of(), "/b/k?X-Amz-Credential="
                + "111111111111%2F20261205%2Fus-east-1%2Fs3%2Faws4_request");
        assertThat(cred.accessKeyId()).isEqualTo("111111111111");
        assertThat(cred.region()).isEqualTo("us-east-1");
        assertThat(List.of(cred.token() == null)).containsExactly(true);
    }

    @Test
    void headerView_readsNettyHeadersInPlace_caseInsensitively_joiningRepeatedOnes() {
        var netty = new io.netty.handler.codec.http.DefaultHttpHeaders();
        netty.add("Host", "b.s3.us-east-1.amazonaws.com").add("X-Amz-Acl", "private")
                .add("X-Amz-Meta-Tag", "a").add("x-amz-meta-tag", "b")
                .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/eu-west-1/s3/aws4_request, "
                        + "SignedHeaders=host, Signature=0");
        Map<String, String> view = new HeaderView(netty);
        assertThat(view.get("x-amz-acl")).isEqualTo("private");
        assertThat(view.get("x-amz-meta-tag")).isEqualTo("a,b");
        assertThat(view.get("x-amz-storage-class")).isNull();
        assertThat(view.containsKey("host")).isTrue();
        assertThat(view).containsEntry("x-amz-meta-tag", "a,b").hasSize(4);
        S3Call c = S3Call.of("PUT", "/k", view);
        assertThat(c.checks()).containsExactly(new ActionCheck("s3:PutObject", "arn:aws:s3:::b/k"));
        assertThat(c.context()).containsEntry("s3:x-amz-acl", "private");
        RequestCredential cred = RequestCredential.of(view, "/k");
        assertThat(List.of(cred.accessKeyId(), cred.region())).containsExactly("AKIDEXAMPLE", "eu-west-1");
        assertThat(RequestCredential.of(Map.of("authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261205, "
                + "Signature=0"), "/").region()).isNull();
    }
}
