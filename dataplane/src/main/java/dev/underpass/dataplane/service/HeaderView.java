package dev.underpass.dataplane.service;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's headers as the request readers take them (lower-case names, repeated ones joined with commas),
 * read from Netty's case-insensitive headers on demand instead of copied: a request reader asks for a dozen
 * names, most of them absent.
 */
final class HeaderView extends AbstractMap<String, String> {
    private final HttpHeaders headers;
    private Map<String, String> all;

    HeaderView(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        Iterator<String> values = headers.valueStringIterator(name);
        if (!values.hasNext()) {
            return null;
        }
        String only = values.next();
        // Repeated (rare): getAll has them in the order received, which the value iterator does not keep.
        return values.hasNext() ? String.join(",", headers.getAll(name)) : only;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && headers.contains(name);
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        if (all == null) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String name : headers.names()) {
                m.putIfAbsent(name.toLowerCase(Locale.ROOT), get(name));
            }
            all = Collections.unmodifiableMap(m);
        }
        return all.entrySet();
    }
}
