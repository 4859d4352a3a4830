package dev.underpass.server;

import static dev.underpass.server.RawSocket.ascii;
import static dev.underpass.server.RawSocket.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes below the SDK: HTTP framing mutated byte by byte, parameters huge and deep, names and values that are not
 * UTF-8 (percent-encoded and raw), and every numeric parameter of a few operations written in each script's decimal
 * digits. Whatever arrives: never a 5xx, never a hang (a read that waits {@link RawSocket#READ_TIMEOUT_MILLIS}
 * fails), the heap stays under a cap, and a request that is refused changes nothing (the server's world has the
 * same number of resources after it).
 *
 * <p>The servers run in this JVM without default VPCs, so that only what a request itself does changes the world.
 * The one that gets mutated framing closes idle connections after 300 ms, so that a request cut short ends in a close
 * rather than a wait.
 */
class ProtocolFuzzProperties {
    private static UnderpassServer server;
    private static URI endpoint;
    /** The server the framing property talks to: it closes a connection after 300 ms without traffic. */
    private static UnderpassServer framing;
    private static final String ACCOUNT = "230000000001";

    @BeforeContainer
    static void start() {
        ServerConfig config = ServerConfig.forTests()
                .withEc2(new Ec2Api.Settings(Duration.ZERO, false, Quotas.defaults()));
        server = TestStore.start(config);
        endpoint = URI.create(server.endpoint());
        framing = TestStore.start(config, Duration.ofMillis(300));
    }

    @AfterContainer
    static void stop() {
        server.close();
        framing.close();
    }

    private static int worldSize() {
        return server.store().world().size();
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP framing

    /** A valid CreateVpc; mutations of it may or may not still be one. */
    private static final String BODY = "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.88.0.0%2F16&DryRun=true";

    private static byte[] baseRequest(boolean chunked) {
        if (!chunked) {
            return RawSocket.post(ACCOUNT, BODY);
        }
        String first = BODY.substring(0, 30);
        String second = BODY.substring(30);
        return concat(RawSocket.head(ACCOUNT, "Transfer-Encoding: chunked\r\n"),
                ascii(Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                        + Integer.toHexString(second.length()) + "\r\n" + second + "\r\n0\r\n\r\n"));
    }

    private static final List<String> INSERTS = List.of("\r", "\n", "\r\n", "\0", " ", ":", "0", "-", "\u00ff",
            "\r\n\r\n", "Content-Length: 5\r\n", "Content-Length: 99999999999999999999\r\n",
            "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n", "Expect: 100-continue\r\n",
            "Connection: close\r\n", "Host: a\r\nHost: b\r\n", "X: " + "y".repeat(9_000) + "\r\n", "GET / HTTP/1.1",
            "HTTP/0.9", "%", "%zz", "&", "=", ".", "ffffffff\r\n", "zz\r\n", "1;ext=x\r\n");

    /** One edit of a request's bytes: where, how much to remove, what to put there. */
    record Mutation(double where, int remove, String insert) {
        byte[] apply(byte[] in) {
            int at = (int) (where * in.length);
            int end = Math.min(in.length, at + remove);
            return concat(java.util.Arrays.copyOfRange(in, 0, at), insert.getBytes(StandardCharsets.ISO_8859_1),
                    java.util.Arrays.copyOfRange(in, end, in.length));
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.of(INSERTS), Arbitraries.just(""),
                Arbitraries.strings().withCharRange('\0', '\u00ff').ofMaxLength(6));
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 8), insert).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 150)
    void mutatedFraming_isNeverA5xxNorAHang_andARefusedRequestChangesNothing(
            @ForAll("mutations") List<Mutation> mutations, @ForAll boolean chunked) {
        byte[] request = baseRequest(chunked);
        for (Mutation m : mutations) {
            request = m.apply(request);
        }
        int before = framing.store().world().size();
        RawSocket.Answer a = exchangeOrClose(request);
        if (a == null) {
            return; // Closed without an answer: a request cut short.
        }
        assertThat(a.status()).as(printable(request) + " -> " + a.body()).isBetween(200, 499);
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (a.status() != 200) {
            assertThat(framing.store().world().size()).as("a refused request changed the world: "
                    + printable(request)).isEqualTo(before);
        }
    }

    /**
     * Sends {@code request} and reads one answer; null when the server closes without one (it may, for a request
     * that never ends). A read that waits past the timeout fails: that is a hang.
     */
    private static RawSocket.Answer exchangeOrClose(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", framing.port())) {
            socket.setSoTimeout(RawSocket.READ_TIMEOUT_MILLIS);
            RawSocket.sendTolerant(socket, request);
            InputStream in = socket.getInputStream();
            try {
                return RawSocket.read(in);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer and no close within " + RawSocket.READ_TIMEOUT_MILLIS
                        + " ms (a hang) for " + printable(request), e);
            } catch (IOException e) {
                return null;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(byte[] request) {
        String s = new String(request, StandardCharsets.ISO_8859_1);
        s = s.length() > 600 ? s.substring(0, 600) + "...(" + s.length() + " bytes)" : s;
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bytes that are not UTF-8

    @Provide
    Arbitrary<byte[]> notUtf8() {
        return Arbitraries.oneOf(
                Arbitraries.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88,
                            (byte) 0x80, (byte) 0x80, (byte) 0x80},
                        new byte[] {(byte) 0xE2, (byte) 0x82},
                        new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)
                        .filter(b -> !validUtf8(b)));
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 100)
    void bytesThatAreNotUtf8_areMalformedQueryString_andChangeNothing(@ForAll("notUtf8") byte[] bad,
            @ForAll boolean inName, @ForAll boolean percentEncoded) {
        byte[] encoded = percentEncoded ? ascii(percent(bad)) : escapeFormDelimiters(bad);
        String prefix =
                "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.89.0.0%2F16&TagSpecification.1.ResourceType=vpc"
                        + "&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=";
        byte[] body = inName ? concat(ascii(prefix + "v&X"), encoded, ascii("=1")) : concat(ascii(prefix), encoded);
        int before = worldSize();
        RawSocket.Answer a = RawSocket.exchange(endpoint,
                concat(RawSocket.head(ACCOUNT, "Content-Length: " + body.length + "\r\n"), body), false);
        assertThat(a.status()).as(HexFormat.of().formatHex(bad) + " -> " + a.body()).isEqualTo(400);
        assertThat(a.code()).isEqualTo("MalformedQueryString");
        assertThat(worldSize()).isEqualTo(before);
    }

    private static String percent(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return sb.toString();
    }

    /** Raw bytes, with the form's own delimiters percent-encoded so that they stay inside the value. */
    private static byte[] escapeFormDelimiters(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b == '&' || b == '=' || b == '%' || b == '+') {
                out.writeBytes(ascii(percent(new byte[] {b})));
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Numbers in every script's digits

    /** The zero of every run of ten decimal digits other than ASCII's, across all planes. */
    private static List<Integer> nonAsciiZeros() {
        List<Integer> zeros = new ArrayList<>();
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER && Character.digit(cp, 10) == 0) {
                zeros.add(cp);
            }
        }
        return zeros;
    }

    /** {@code digits} written with the script whose zero is {@code zero}; {@code lastOnly} changes only the last. */
    private static String transliterate(String digits, int zero, boolean lastOnly) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            boolean change = !lastOnly || i == digits.length() - 1;
            sb.appendCodePoint(change ? zero + (digits.charAt(i) - '0') : digits.charAt(i));
        }
        return sb.toString();
    }

    /** A request with its numbers marked {@code {n}}: each marked number is fuzzed in turn. */
    record Template(String service, String form) {}

    private static final Pattern MARK = Pattern.compile("\\{([0-9]+)\\}");

    private static HttpResponse<String> send(String service, String form) {
        return RawHttp.post(endpoint, form, Map.of("Authorization",
                RawHttp.authorization(ACCOUNT, "us-east-1", service), "X-Amz-Date", RawHttp.amzDate()));
    }

    private static String fill(String template, int which, String replacement) {
        Matcher m = MARK.matcher(template);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (m.find()) {
            String value = i++ == which ? replacement : m.group(1);
            m.appendReplacement(sb, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String xmlValue(String body, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(body);
        assertThat(m.find()).as(element + " in " + body).isTrue();
        return m.group(1);
    }

    @Example
    void everyNumericParameter_inAnotherScriptsDigits_isRefused_andChangesNothing() {
        HttpResponse<String> vpc = send("ec2", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.90.0.0%2F16");
        assertThat(vpc.statusCode()).as(vpc.body()).isEqualTo(200);
        String vpcId = xmlValue(vpc.body(), "vpcId");
        HttpResponse<String> sg = send("ec2", "Action=CreateSecurityGroup&Version=2016-11-15&GroupName=fuzz"
                + "&GroupDescription=fuzz&VpcId=" + vpcId);
        String groupId = xmlValue(sg.body(), "groupId");
        HttpResponse<String> acl = send("ec2", "Action=CreateNetworkAcl&Version=2016-11-15&VpcId=" + vpcId);
        String aclId = xmlValue(acl.body(), "networkAclId");

        List<Template> templates = List.of(
                new Template("ec2", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.{91}.0.0/{16}"),
                new Template("ec2", "Action=CreateSubnet&Version=2016-11-15&VpcId=" + vpcId
                        + "&CidrBlock=10.90.{1}.0/{24}"),
                new Template("ec2", "Action=DescribeVpcs&Version=2016-11-15&MaxResults={10}"),
                new Template("ec2", "Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=" + groupId
                        + "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort={22}&IpPermissions.1.ToPort={23}"
                        + "&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/{8}"),
                new Template("ec2", "Action=CreateNetworkAclEntry&Version=2016-11-15&NetworkAclId=" + aclId
                        + "&RuleNumber={100}&Protocol={6}&RuleAction=allow&Egress=false&CidrBlock=10.0.0.0/{8}"
                        + "&PortRange.From={22}&PortRange.To={23}"),
                new Template("elasticloadbalancing", "Action=CreateTargetGroup&Version=2015-12-01&Name=fuzz"
                        + "&Protocol=TCP&Port={80}&VpcId=" + vpcId + "&HealthCheckPort={8080}"),
                new Template("elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2015-12-01"
                        + "&PageSize={20}"));
        List<Integer> zeros = nonAsciiZeros();
        assertThat(zeros).hasSizeGreaterThan(50);
        int refused = 0;
        for (Template t : templates) {
            int marks = (int) MARK.matcher(t.form()).results().count();
            for (int which = 0; which < marks; which++) {
                String ascii = MARK.matcher(t.form()).results().skip(which).findFirst().orElseThrow().group(1);
                for (int zero : zeros) {
                    for (boolean lastOnly : new boolean[] {false, true}) {
                        String form = fill(t.form(), which, transliterate(ascii, zero, lastOnly));
                        int before = worldSize();
                        HttpResponse<String> r = send(t.service(), form);
                        assertThat(r.statusCode()).as(form + " -> " + r.body()).isEqualTo(400);
                        assertThat(RawHttp.code(r)).as(form).isIn("InvalidParameterValue", "ValidationError",
                                "InvalidParameter");
                        assertThat(worldSize()).as(form).isEqualTo(before);
                        refused++;
                    }
                }
            }
            // The same request in ASCII digits is accepted: the refusals above are about the digits alone.
            HttpResponse<String> r = send(t.service(), fill(t.form(), -1, ""));
            assertThat(r.statusCode()).as(t.form() + " -> " + r.body()).isEqualTo(200);
        }
        assertThat(refused).isGreaterThan(1_000);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Huge and deep parameters

    /** How much the heap may grow while one request is handled. */
    private static final long HEAP_CAP = 512L << 20;

    @Example
    void hugeAndDeepParameters_areRefusedWithinABoundedHeap() {
        StringBuilder manyDeep = new StringBuilder("Action=DescribeVpcs&Version=2016-11-15");
        for (int i = 1; i < 9_000; i++) {
            manyDeep.append("&Filter.").append(i).append(".Value").append(".1".repeat(29)).append("=x");
        }
        StringBuilder tooMany = new StringBuilder("Action=DescribeVpcs&Version=2016-11-15");
        for (int i = 0; i < 10_001; i++) {
            tooMany.append("&VpcId.1=vpc-1");
        }
        List<String[]> cases = List.of(
                new String[] {"Action=DescribeVpcs&Version=2016-11-15&" + "a.".repeat(256 * 1024) + "a=1",
                    "MalformedQueryString"},
                new String[] {"Action=DescribeVpcs&Version=2016-11-15&" + ".".repeat(1_000_000) + "=1",
                    "MalformedQueryString"},
                new String[] {"Action=DescribeVpcs&Version=2016-11-15&" + "a.".repeat(500) + "a=1",
                    "MalformedQueryString"},
                new String[] {manyDeep.toString(), "UnknownParameter"},
                new String[] {tooMany.toString(), "MalformedQueryString"},
                new String[] {"Action=DescribeVpcs&Version=2016-11-15&VpcId.1=" + "v".repeat(15_000_000),
                    "InvalidVpcID.NotFound|InvalidVpcId.Malformed|InvalidParameterValue"});
        for (String[] c : cases) {
            int before = worldSize();
            long baseline = heapAfterGc();
            resetPeaks();
            HttpResponse<String> r = send("ec2", c[0]);
            long peak = peakHeap();
            assertThat(r.statusCode()).as(c[0].substring(0, 80) + " -> " + r.body()).isEqualTo(400);
            assertThat(RawHttp.code(r)).matches(c[1]);
            assertThat(peak - baseline).as("heap growth for " + c[0].substring(0, 80)).isLessThan(HEAP_CAP);
            assertThat(worldSize()).isEqualTo(before);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since {@link #resetPeaks}: at least the heap's peak. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
