package dev.underpass.model;

import java.util.Map;

/**
 * A stored record that AWS gives no tags: the bookkeeping behind an API (a share's grant, a client token, a pending
 * handshake, an issued credential) rather than something a caller can name in TagResource or CreateTags. It has
 * none, and tagging it changes nothing, so every such record answers the same two methods the same way.
 */
public interface UntaggedResource extends Resource {

    @Override
    default Map<String, String> tags() {
        return Map.of();
    }

    @Override
    default Resource withTags(Map<String, String> tags) {
        return this;
    }
}
