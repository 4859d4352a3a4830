package dev.underpass.aws.org;

import static dev.underpass.aws.org.OrgInput.Page;
import static dev.underpass.aws.org.OrgInput.page;
import static dev.underpass.aws.org.OrgInput.required;
import static dev.underpass.aws.org.OrgInput.tags;

import dev.underpass.model.org.OrgErrors;
import dev.underpass.model.org.OrgTags;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.organizations.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.organizations.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.organizations.model.Tag;
import software.amazon.awssdk.services.organizations.model.TagResourceRequest;
import software.amazon.awssdk.services.organizations.model.TagResourceResponse;
import software.amazon.awssdk.services.organizations.model.UntagResourceRequest;
import software.amazon.awssdk.services.organizations.model.UntagResourceResponse;

/**
 * Tags on the root, OUs, accounts and policies: TagResource, UntagResource, ListTagsForResource (Terraform's
 * {@code aws_organizations_*} resources read them on every refresh). The rules are {@link OrgTags}'. One handler
 * family of {@link OrganizationsApi}, which registers it.
 */
final class OrgTagHandlers {
    /** What the model takes as a taggable id: a root, an account, an OU or a policy (resource policies and
     * responsibility transfers, which the pattern also names, do not exist here). */
    private static final Pattern TAGGABLE = Pattern.compile("(r-[0-9a-z]{4,32})|(\\d{12})|"
            + "(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})|(p-[0-9a-zA-Z_]{8,128})|(rp-[0-9a-zA-Z_]{4,128})|"
            + "(rt-[0-9a-zA-Z_]{8,32})");

    private OrgTagHandlers() {}

    static void register(OrgRegistry api) {
        api.write("TagResource", TagResourceRequest::builder, (req, tx) -> {
            String id = required(req.resourceId(), TAGGABLE, "ResourceId");
            if (!req.hasTags() || req.tags().isEmpty()) {
                throw OrgErrors.inputRequired("Tags");
            }
            OrgTags.tag(tx, id, tags(req.tags()));
            return TagResourceResponse.builder().build();
        });
        api.write("UntagResource", UntagResourceRequest::builder, (req, tx) -> {
            String id = required(req.resourceId(), TAGGABLE, "ResourceId");
            if (!req.hasTagKeys() || req.tagKeys().isEmpty()) {
                throw OrgErrors.inputRequired("TagKeys");
            }
            OrgTags.untag(tx, id, req.tagKeys());
            return UntagResourceResponse.builder().build();
        });
        api.read("ListTagsForResource", ListTagsForResourceRequest::builder, (req, ctx) -> {
            String id = required(req.resourceId(), TAGGABLE, "ResourceId");
            Map<String, String> all = OrgTags.list(ctx.world(), ctx.caller().accountId(), id);
            List<Tag> shaped = all.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                    .build()).toList();
            Page<Tag> p = page(shaped, req.nextToken(), null);
            return ListTagsForResourceResponse.builder().tags(p.items()).nextToken(p.next()).build();
        });
    }
}
