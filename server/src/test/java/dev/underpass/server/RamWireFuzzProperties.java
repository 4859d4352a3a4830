package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the restJson1 wire (RAM) with random methods, paths, query members and JSON bodies, well-formed and not,
 * signed by an organization's management account that owns a real share of a real subnet (so that some calls reach
 * real state): whatever arrives, the answer is 200 or a 4xx with the code in {@code x-amzn-ErrorType} and a JSON
 * {@code message}, never a 500 or a stack trace.
 */
class RamWireFuzzProperties {
    private static UnderpassServer server;
    private static RamApiTest.Org org;
    private static String shareArn;

    @BeforeContainer
    static void start() {
        server = TestStore.start(ServerConfig.forTests());
        URI endpoint = URI.create(server.endpoint());
        org = RamApiTest.organization(endpoint, true);
        shareArn = RamApiTest.ram(endpoint, org.owner()).createResourceShare(r -> r.name("fuzz")
                .resourceArns(org.subnetArn(org.subnet1())).principals(org.ouArn())).resourceShare()
                .resourceShareArn();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    private static final List<String> PATHS = List.of("/createresourceshare", "/updateresourceshare",
            "/deleteresourceshare", "/getresourceshares", "/associateresourceshare", "/disassociateresourceshare",
            "/getresourceshareassociations", "/listresources", "/listprincipals", "/listresourcetypes",
            "/listpermissions", "/getpermission", "/getresourceshareinvitations", "/acceptresourceshareinvitation",
            "/rejectresourceshareinvitation", "/enablesharingwithawsorganization", "/tagresource", "/untagresource",
            "/listresourcesharepermissions", "/associateresourcesharepermission", "/listpendinginvitationresources",
            "/", "/nope", "/getresourceshares/extra");
    private static final List<String> KEYS = List.of("name", "resourceArns", "principals", "resourceShareArn",
            "resourceShareArns", "resourceOwner", "associationType", "associationStatus", "maxResults", "nextToken",
            "tags", "tagKeys", "tagFilters", "allowExternalPrincipals", "permissionArn", "permissionVersion",
            "resourceType", "principal", "resourceArn", "resourceShareInvitationArn", "clientToken", "sources",
            "permissionArns", "x");

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.of("SELF", "OTHER-ACCOUNTS", "PRINCIPAL", "RESOURCE", "ASSOCIATED", "ec2:Subnet",
                        "ec2:PrefixList", "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet", "arn:",
                        "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0123456789abcdef0", "123456789012", "",
                        "o-abc", "\u0000", "\"", "\\"),
                Arbitraries.just("SHARE"), Arbitraries.just("SUBNET"), Arbitraries.just("OU"),
                Arbitraries.strings().ofMaxLength(30));
    }

    private static String json(String s) {
        String real = switch (s) {
            case "SHARE" -> shareArn;
            case "SUBNET" -> org.subnetArn(org.subnet1());
            case "OU" -> org.ouArn();
            default -> s;
        };
        StringBuilder b = new StringBuilder("\"");
        for (char c : real.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> scalar = Arbitraries.oneOf(strings().map(RamWireFuzzProperties::json),
                Arbitraries.of("0", "1", "-1", "501", "1e3", "true", "false", "null", "99999999999999999999"));
        Arbitrary<String> array = scalar.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.of("key", "value", "tagKey", "tagValues"), scalar)
                .as((k, v) -> "{\"" + k + "\":" + v + "}");
        return Arbitraries.oneOf(scalar, array, object, object.list().ofMaxSize(2)
                .map(l -> "[" + String.join(",", l) + "]"));
    }

    @Provide
    Arbitrary<String[]> requests() {
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(KEYS), values())
                .as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> body = Arbitraries.oneOf(member.list().ofMaxSize(5).map(l -> "{" + String.join(",", l)
                + "}"), Arbitraries.of("", "{", "[]", "null", "not json", "{\"name\":\"a\",\"name\":\"b\"}"));
        Arbitrary<String> query = Combinators.combine(Arbitraries.of("resourceShareArn", "clientToken",
                "permissionArn", "permissionVersion", "x"), strings()).as(
                        (k, v) -> k + "="
                                + URLEncoder.encode(v.equals("SHARE") ? shareArn : v, StandardCharsets.UTF_8))
                .list().ofMaxSize(2).map(l -> l.isEmpty() ? "" : "?" + String.join("&", l));
        return Combinators.combine(Arbitraries.of("POST", "POST", "POST", "DELETE", "GET", "PUT"),
                Arbitraries.of(PATHS), query, body).as((m, p, q, b) -> new String[] {m, p + q, b});
    }

    @Property(tries = 400)
    void anyRamRequest_getsARestJsonAnswer_neverA500(@ForAll("requests") String[] request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + request[1]))
                .header("Content-Type", "application/json")
                .header("Authorization", RawHttp.authorization(org.owner(), "us-east-1", "ram"))
                .header("X-Amz-Date", RawHttp.amzDate())
                .method(request[0], request[2].isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request[2]));
        HttpResponse<String> r = RawHttp.send(b.build());
        String what = String.join(" ", request) + " -> " + r.statusCode() + " " + r.body();
        assertThat(r.statusCode()).as(what).isIn(200, 400, 403, 404);
        if (r.statusCode() != 200) {
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).as(what).isPresent()
                    .hasValueSatisfying(code -> assertThat(code).isNotEqualTo("InternalFailure"));
            assertThat(r.body()).as(what).startsWith("{\"message\":");
        }
        assertThat(r.body()).as(what).doesNotContain("\tat ");
    }
}
