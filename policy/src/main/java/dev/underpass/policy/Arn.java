package dev.underpass.policy;

/**
 * The six colon-separated parts of an ARN: {@code arn:partition:service:region:account:resource}. The resource part
 * keeps any further colons.
 */
record Arn(String partition, String service, String region, String account, String resource) {

    /** Parses {@code text}, or returns null when it is not an ARN with six parts. */
    static Arn parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return null;
        }
        int[] colons = new int[5];
        int from = 0;
        for (int i = 0; i < 5; i++) {
            int c = text.indexOf(':', from);
            if (c < 0) {
                return null;
            }
            colons[i] = c;
            from = c + 1;
        }
        return new Arn(text.substring(colons[0] + 1, colons[1]), text.substring(colons[1] + 1, colons[2]),
                text.substring(colons[2] + 1, colons[3]), text.substring(colons[3] + 1, colons[4]),
                text.substring(colons[4] + 1));
    }

    static boolean isAccountId(String s) {
        if (s == null || s.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
