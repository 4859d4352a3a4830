package dev.underpass.aws.ec2;

import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Conversions between SDK wire shapes and domain values that many handlers share. */
public final class Shapes {
    private Shapes() {}

    /** The tags a create call asks for on the resource type it creates; tags for other types are refused. */
    public static Map<String, String> tagsFor(List<TagSpecification> specs, String resourceType) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (specs == null) {
            return tags;
        }
        for (TagSpecification spec : specs) {
            String type = spec.resourceTypeAsString();
            if (type == null) {
                throw Ec2Errors.missingParameter("TagSpecification.N.ResourceType");
            }
            if (!type.equals(resourceType)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "'%s' is not a valid taggable resource type for this operation.", type);
            }
            for (Tag t : spec.tags()) {
                Tags.check(t.key(), t.value());
                tags.put(t.key(), t.value() == null ? "" : t.value());
            }
        }
        if (tags.size() > Tags.MAX_TAGS) {
            throw ErrorCode.TAG_LIMIT_EXCEEDED.with("The maximum number of tags per resource (50) has been exceeded.");
        }
        return tags;
    }

    public static List<Tag> tags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    /** A required string parameter, with EC2's MissingParameter wording. */
    public static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw Ec2Errors.missingParameter(name);
        }
        return value;
    }

    public static boolean flag(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
