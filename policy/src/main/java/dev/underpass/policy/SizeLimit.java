package dev.underpass.policy;

/**
 * A limit on the length of a policy document. AWS counts differently per policy type: the VPC endpoint limit
 * counts every character, IAM's limits ignore whitespace.
 *
 * @param name what the limit is for, in plain words
 * @param maxCharacters the largest allowed length
 * @param countsWhitespace whether whitespace outside strings counts
 */
public record SizeLimit(String name, int maxCharacters, boolean countsWhitespace) {
    /** VPC endpoint policies: 20,480 characters including whitespace; not adjustable. */
    public static final SizeLimit VPC_ENDPOINT_POLICY = new SizeLimit("VPC endpoint policy", 20_480, true);
    /** IAM customer managed policies: 6,144 characters, whitespace not counted. */
    public static final SizeLimit MANAGED_POLICY = new SizeLimit("IAM managed policy", 6_144, false);
    /** Role trust policies: 2,048 characters by default (the quota can be raised). */
    public static final SizeLimit ROLE_TRUST_POLICY = new SizeLimit("role trust policy", 2_048, false);
    /** Service and resource control policies: 5,120 characters each. */
    public static final SizeLimit CONTROL_POLICY = new SizeLimit("service or resource control policy", 5_120, false);

    public SizeLimit {
        if (maxCharacters <= 0) {
            throw new IllegalArgumentException("a size limit must be positive, got " + maxCharacters);
        }
    }

    /** The length of {@code json} as this limit counts it. */
    public int measure(String json) {
        if (countsWhitespace) {
            return json.length();
        }
        int count = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                count++;
                if (c == '\\' && i + 1 < json.length()) {
                    count++;
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (!Character.isWhitespace(c)) {
                count++;
                inString = c == '"';
            }
        }
        return count;
    }

    public boolean exceededBy(String json) {
        return measure(json) > maxCharacters;
    }
}
