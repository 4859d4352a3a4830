package dev.underpass.server.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the fuzzer knows the server acknowledged: every resource created through a successful call, with its owner,
 * region and the fields the server must keep, and whether a successful call deleted it since. Lists keep creation
 * order (never id order), so one seed picks the same logical resources on every replay even though the server's
 * ids are random.
 */
final class Model {
    enum Type {
        VPC, SUBNET, SG, ROUTE_TABLE, INSTANCE, LB, TG, SERVICE, ENDPOINT, NAT, ENI,
        EIP, IGW, EIGW, DHCP, FLOW_LOG, PCX, LISTENER, RULE, PREFIX_LIST
    }

    /** An account in a region: who acts, and where a resource lives. */
    record Pair(String account, String region) {
        @Override
        public String toString() {
            return account + "/" + region;
        }
    }

    /** One tracked resource. {@code implicit}: made by the server as a side effect (a VPC's default group). */
    static final class Res {
        final Type type;
        final String id;
        final Pair pair;
        final boolean implicit;
        final Map<String, String> fields = new LinkedHashMap<>();
        /** Endpoint services only: the allowed principals. */
        final Set<String> principals = new LinkedHashSet<>();
        boolean deleted;

        Res(Type type, String id, Pair pair, boolean implicit) {
            this.type = type;
            this.id = id;
            this.pair = pair;
            this.implicit = implicit;
        }

        String get(String field) {
            return fields.get(field);
        }

        Res with(String field, String value) {
            fields.put(field, value);
            return this;
        }

        @Override
        public String toString() {
            return type + " " + id + " of " + pair + (implicit ? " (implicit)" : "") + (deleted ? " (deleted)" : "")
                    + " " + fields + (principals.isEmpty() ? "" : " principals=" + principals);
        }
    }

    private final Map<String, Res> byId = new HashMap<>();
    private final List<Res> all = new ArrayList<>();

    Res add(Type type, String id, Pair pair, boolean implicit) {
        Res existing = byId.get(id);
        if (existing != null) {
            throw new AssertionError("the server gave out " + id + " twice: " + existing);
        }
        Res r = new Res(type, id, pair, implicit);
        byId.put(id, r);
        all.add(r);
        return r;
    }

    Res get(String id) {
        return byId.get(id);
    }

    boolean knows(String id) {
        return byId.containsKey(id);
    }

    void delete(String id) {
        Res r = byId.get(id);
        if (r != null) {
            r.deleted = true;
        }
    }

    List<Res> live(Type type) {
        return all.stream().filter(r -> r.type == type && !r.deleted).toList();
    }

    List<Res> live(Type type, Pair pair) {
        return all.stream().filter(r -> r.type == type && !r.deleted && r.pair.equals(pair)).toList();
    }

    List<Res> deleted(Type type) {
        return all.stream().filter(r -> r.type == type && r.deleted).toList();
    }

    /** Live resources of a type whose {@code field} is {@code value}. */
    List<Res> liveWhere(Type type, String field, String value) {
        return all.stream().filter(r -> r.type == type && !r.deleted && value.equals(r.get(field))).toList();
    }

    int size() {
        return (int) all.stream().filter(r -> !r.deleted).count();
    }
}
