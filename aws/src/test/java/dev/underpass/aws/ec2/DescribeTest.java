package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.VpcId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.underpass.aws.QueryApi;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/** The shared Describe pipeline: which items a request names, which its filters keep, and how pages are cut. */
class DescribeTest {
    private static final Caller ME = Caller.of("111122223333", "us-east-1");
    private static final Caller OTHER = Caller.of("444455556666", "us-east-1");

    private static final String A = "igw-00000000000000001";
    private static final String B = "igw-00000000000000002";
    private static final String C = "igw-00000000000000003";
    private static final String THEIRS = "igw-00000000000000009";

    private static final FilterSpec<InternetGateway> SPEC = FilterSpec.<InternetGateway>resources()
            .one("internet-gateway-id", InternetGateway::id)
            .many("attachment.vpc-id", InternetGateway::attachedVpcIds)
            .build();

    private static final World WORLD = World.of(List.of(
            igw(A, ME, List.of("vpc-1"), Map.of("Name", "web-front", "env", "prod")),
            igw(B, ME, List.of(), Map.of("Name", "web-back")),
            igw(C, ME, List.of("vpc-2", "vpc-3"), Map.of("env", "dev")),
            igw(THEIRS, OTHER, List.of(), Map.of("Name", "web-front"))));

    private static InternetGateway igw(String id, Caller owner, List<String> vpcs, Map<String, String> tags) {
        return new InternetGateway(id, owner.accountId(), owner.region(), vpcs.stream().map(VpcId::of).toList(), tags);
    }

    private static QueryApi.ReadContext ctx() {
        return new QueryApi.ReadContext(ME, WORLD, Instant.EPOCH);
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static List<String> ids(List<InternetGateway> items) {
        return items.stream().map(InternetGateway::id).toList();
    }

    private static List<String> matching(Filter... filters) {
        return ids(Describe.visible(ctx(), InternetGateway.class, Kind.INTERNET_GATEWAY, List.of())
                .filter(SPEC, List.of(filters)).items());
    }

    @Test
    void visible_noIdsNamed_listsTheCallersResourcesInIdOrder() {
        assertEquals(List.of(A, B, C), matching());
    }

    @Test
    void visible_namedIds_keepRequestOrderAndDropDuplicates() {
        var items = Describe.visible(ctx(), InternetGateway.class, Kind.INTERNET_GATEWAY, List.of(C, A, C)).items();
        assertEquals(List.of(C, A), ids(items));
    }

    @Test
    void visible_anotherAccountsId_isNotFoundWithEveryMissingId() {
        var e = assertThrows(AwsException.class, () -> Describe.visible(ctx(), InternetGateway.class,
                Kind.INTERNET_GATEWAY, List.of(A, THEIRS, "igw-0000000000000000f")));
        assertEquals("InvalidInternetGatewayID.NotFound", e.code());
        assertEquals("The internetGateway IDs 'igw-00000000000000009, igw-0000000000000000f' do not exist",
                e.getMessage());
    }

    @Test
    void visible_namedButNoLongerListed_isNotFound() {
        var e = assertThrows(AwsException.class, () -> Describe.visible(ctx(), InternetGateway.class,
                Kind.INTERNET_GATEWAY, List.of(A, B), g -> !g.id().equals(B)));
        assertEquals("InvalidInternetGatewayID.NotFound", e.code());
        assertEquals(List.of(A, C), ids(Describe.visible(ctx(), InternetGateway.class, Kind.INTERNET_GATEWAY,
                List.of(), g -> !g.id().equals(B)).items()));
    }

    @Test
    void filter_valuesOfOneFilterAreOred_filtersAreAnded() {
        assertEquals(List.of(A, C), matching(filter("attachment.vpc-id", "vpc-1", "vpc-3")));
        assertEquals(List.of(C), matching(filter("attachment.vpc-id", "vpc-1", "vpc-3"), filter("tag:env", "dev")));
    }

    @Test
    void filter_wildcards_starIsAnyRunQuestionMarkOneCharacterBackslashEscapes() {
        assertEquals(List.of(A, B), matching(filter("tag:Name", "web-*")));
        assertEquals(List.of(A, C), matching(filter("attachment.vpc-id", "vpc-?")));
        assertEquals(List.of(), matching(filter("tag:Name", "web\\*")));
        assertEquals(List.of(), matching(filter("tag:Name", "web-?")));
        assertEquals(List.of(B), matching(filter("tag:Name", "*back")));
    }

    @Test
    void filter_tagKeyAndTagValue_readEveryTag() {
        assertEquals(List.of(A, C), matching(filter("tag-key", "env")));
        assertEquals(List.of(A), matching(filter("tag-value", "prod")));
        assertEquals(List.of(), matching(filter("tag:Name", "prod")));
    }

    @Test
    void each_matchesOneFieldOfAnyElement() {
        FilterSpec<InternetGateway> spec = FilterSpec.<InternetGateway>resources()
                .each("attachment.vpc-number", InternetGateway::attachedVpcIds, v -> v.value().substring(4)).build();
        var all = Describe.visible(ctx(), InternetGateway.class, Kind.INTERNET_GATEWAY, List.of());
        assertEquals(List.of(C), ids(all.filter(spec, List.of(filter("attachment.vpc-number", "3"))).items()));
        assertEquals(List.of(A, C),
                ids(all.filter(spec, List.of(filter("attachment.vpc-number", "1", "2"))).items()));
        assertEquals(List.of(), ids(all.filter(spec, List.of(filter("attachment.vpc-number", "vpc-1"))).items()));
    }

    @Test
    void filter_unknownName_isInvalidParameterValue() {
        var e = assertThrows(AwsException.class, () -> matching(filter("vpc-id", "vpc-1")));
        assertEquals("InvalidParameterValue", e.code());
        assertEquals("The filter 'vpc-id' is invalid", e.getMessage());
    }

    @Test
    void filter_withoutName_isMissingParameterNamingItsPosition() {
        var e = assertThrows(AwsException.class,
                () -> matching(filter("tag-key", "env"), Filter.builder().values("x").build()));
        assertEquals("MissingParameter", e.code());
        assertEquals("The request must contain the parameter Filter.2.Name", e.getMessage());
    }

    @Test
    void filter_overItemsThatAreNotResources_readsTheirTagsThroughTheSpec() {
        record Item(String id, Map<String, String> tags) {}
        var spec = FilterSpec.of(Item::tags).one("id", Item::id).build();
        var items = List.of(new Item("a", Map.of("k", "v")), new Item("b", Map.of()));
        var page = Describe.of(items, Item::id).filter(spec, List.of(filter("tag:k", "v")))
                .page(null, null, Describe.Limits.STANDARD);
        assertEquals(List.of("a"), page.items().stream().map(Item::id).toList());
    }

    @Test
    void page_walksEveryItemOnceByToken_andEndsWithoutOne() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            var page = Describe.of(letters(12), s -> s).page(5, token, Describe.Limits.STANDARD);
            seen.addAll(page.items());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(letters(12), seen);
        assertEquals(3, pages);
    }

    @Test
    void page_tokenNamesTheLastItem_soDeletionsBeforeItDoNotShiftTheNextPage() {
        var first = Describe.of(letters(10), s -> s).page(5, null, Describe.Limits.STANDARD);
        assertNotNull(first.nextToken());
        var shrunk = new ArrayList<>(letters(10));
        shrunk.remove("a");
        var second = Describe.of(shrunk, s -> s).page(5, first.nextToken(), Describe.Limits.STANDARD);
        assertEquals(List.of("f", "g", "h", "i", "j"), second.items());
        assertNull(second.nextToken());
    }

    @Test
    void page_withoutMaxResults_returnsEverythingWithoutToken() {
        var page = Describe.of(letters(2000), s -> s).page(null, null, Describe.Limits.STANDARD);
        assertEquals(2000, page.items().size());
        assertNull(page.nextToken());
    }

    @Test
    void page_maxResultsOutOfRange_isInvalidParameterValueWithTheRange() {
        var e = assertThrows(AwsException.class,
                () -> Describe.of(letters(3), s -> s).page(4, null, Describe.Limits.STANDARD));
        assertEquals("InvalidParameterValue", e.code());
        assertEquals("Value ( 4 ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.",
                e.getMessage());
        var high = assertThrows(AwsException.class,
                () -> Describe.of(letters(3), s -> s).page(101, null, Describe.Limits.of(5, 100)));
        assertEquals("InvalidParameterValue", high.code());
    }

    @Test
    void page_clampedLimits_serveALargerMaxResultsAsTheMaximum() {
        var page = Describe.of(letters(12), s -> s).page(5000, null, Describe.Limits.clamped(1, 10));
        assertEquals(10, page.items().size());
        assertNotNull(page.nextToken());
        var e = assertThrows(AwsException.class,
                () -> Describe.of(letters(3), s -> s).page(0, null, Describe.Limits.clamped(1, 10)));
        assertEquals("InvalidParameterValue", e.code());
    }

    @Test
    void page_tokenNotIssuedHere_isInvalidNextToken() {
        for (String bad : List.of("not base64!", "Zm9vOmJhcg")) { // the second is "foo:bar"
            var e = assertThrows(AwsException.class,
                    () -> Describe.of(letters(3), s -> s).page(5, bad, Describe.Limits.STANDARD));
            assertEquals("InvalidNextToken", e.code());
            assertEquals("The token '" + bad + "' is invalid.", e.getMessage());
        }
    }

    @Test
    void mistakes_areReportedInEc2sOrder_namedIdsThenFiltersThenPageSize() {
        var notFound = assertThrows(AwsException.class, () -> Describe.visible(ctx(), InternetGateway.class,
                Kind.INTERNET_GATEWAY, List.of(THEIRS)).filter(SPEC, List.of(filter("bogus", "x")))
                .page(1, null, Describe.Limits.STANDARD));
        assertEquals("InvalidInternetGatewayID.NotFound", notFound.code());
        var badFilter = assertThrows(AwsException.class, () -> Describe.visible(ctx(), InternetGateway.class,
                Kind.INTERNET_GATEWAY, List.of(A)).filter(SPEC, List.of(filter("bogus", "x")))
                .page(1, null, Describe.Limits.STANDARD));
        assertEquals("The filter 'bogus' is invalid", badFilter.getMessage());
    }

    /** {@code n} distinct keys in order: single letters up to 26, else numbered ones. */
    private static List<String> letters(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(n <= 26 ? String.valueOf((char) ('a' + i)) : String.format("k%05d", i));
        }
        return out;
    }
}
