package dev.underpass.aws.wire;

/**
 * The two Query protocols differ only in how lists and maps are spelled, so one decoder and one encoder serve both,
 * told by this record which spelling to use.
 *
 * <ul>
 *   <li>ec2Query (EC2): request lists are flattened ({@code SubnetId.1}), response list items are {@code <item>}.</li>
 *   <li>awsQuery (ELBv2, STS): request lists carry a member segment ({@code Subnets.member.1}), maps are
 *       {@code X.entry.N.key/value}, an empty list is sent as the bare key ({@code Subnets=}); response list items
 *       are {@code <member>} and maps {@code <entry><key/><value/></entry>}.</li>
 * </ul>
 *
 * @param wrappedLists whether request lists (and maps) carry a {@code member}/{@code entry} segment
 * @param responseItem the element name of a response list item when the model names none
 */
public record QueryDialect(boolean wrappedLists, String responseItem) {
    public static final QueryDialect EC2 = new QueryDialect(false, "item");
    public static final QueryDialect AWS_QUERY = new QueryDialect(true, "member");
}
