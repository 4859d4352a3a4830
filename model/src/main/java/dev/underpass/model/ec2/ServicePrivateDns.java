package dev.underpass.model.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Private DNS names of endpoint services: the name a provider offers, its verification state, and the
 * underpass stand-in for AWS's TXT-record check (domains pre-approved through the control endpoint).
 * Split from {@link EndpointServices} so the service lifecycle reads apart from the DNS proof rules.
 */
public final class ServicePrivateDns {
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,255}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}\\.?");
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final RandomGenerator RANDOM = Ids.generator(); // The current transaction's source.

    private ServicePrivateDns() {}

    static EndpointService.PrivateDns privateDns(World world, String owner, String name) {
        if (!DOMAIN.matcher(name).matches()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The private DNS name '%s' is not a valid domain name.",
                    name);
        }
        EndpointService.PrivateDns.State state = isPreapproved(world, owner, name)
                ? EndpointService.PrivateDns.State.VERIFIED : EndpointService.PrivateDns.State.PENDING_VERIFICATION;
        return new EndpointService.PrivateDns(name, state, "_" + random(LOWER, 20), "vpce:" + random(MIXED, 20));
    }

    /**
     * Whether the name, or a domain it is under, was marked verified through the control endpoint, for every account
     * or for {@code owner}'s services.
     */
    static boolean isPreapproved(World world, String owner, String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.startsWith("*.")) {
            n = n.substring(2);
        }
        while (true) {
            if (world.find(VerifiedDomain.class, VerifiedDomain.idFor(n)).isPresent()
                    || world.find(VerifiedDomain.class, VerifiedDomain.idFor(owner, n)).isPresent()) {
                return true;
            }
            int dot = n.indexOf('.');
            if (dot < 0) {
                return false;
            }
            n = n.substring(dot + 1);
        }
    }

    /**
     * StartVpcEndpointServicePrivateDnsVerification: without public DNS to query, the check succeeds when the domain
     * was pre-approved ({@link #preapprove}); otherwise the name stays {@code pendingVerification}.
     */
    public static void startVerification(Tx tx, EndpointServiceId serviceId) {
        EndpointService s = EndpointServices.requireOwned(tx.world(), tx.caller(), serviceId);
        if (s.privateDns() == null) {
            throw ErrorCode.INVALID_PARAMETER.format("Service %s does not have a private DNS name to verify.", s.id());
        }
        if (!s.privateDns().verified()
                && isPreapproved(tx.world(), s.ownerId(), s.privateDns().name())) {
            tx.put(s.withPrivateDns(s.privateDns().withState(EndpointService.PrivateDns.State.VERIFIED)));
        }
    }

    /**
     * The underpass stand-in for publishing the TXT record: records {@code domain} (or the private DNS name of
     * service {@code serviceId}) as proven for the services of every account. Returns the domain recorded.
     */
    public static String preapprove(Tx tx, EndpointServiceId serviceId, String domain) {
        return preapprove(tx, serviceId, domain, false);
    }

    /**
     * {@link #preapprove(Tx, String, String)}, with {@code ownerOnly} recording the domain as proven for the
     * services of its owner's account only (the caller's, or the service's owner), as a SigV4-signed control call
     * does, so one account's proof never verifies another account's names.
     */
    public static String preapprove(Tx tx, EndpointServiceId serviceId, String domain, boolean ownerOnly) {
        String name = domain;
        String owner = tx.caller().accountId();
        if (serviceId != null) {
            EndpointService s = tx.find(EndpointService.class, serviceId)
                    .orElseThrow(() -> ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_NOT_FOUND.format(
                            "The Vpc Endpoint Service Id '%s' does not exist", serviceId));
            if (s.privateDns() == null) {
                throw ErrorCode.INVALID_PARAMETER.format("Service %s has no private DNS name.", serviceId);
            }
            name = s.privateDns().name();
            owner = s.ownerId();
        }
        if (name == null || !DOMAIN.matcher(name.startsWith("*.") ? name.substring(2) : name).matches()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("'%s' is not a valid domain name.", name);
        }
        String bare = name.startsWith("*.") ? name.substring(2) : name;
        String id = ownerOnly ? VerifiedDomain.idFor(owner, bare) : VerifiedDomain.idFor(bare);
        tx.put(new VerifiedDomain(id, owner, "global", tx.now()));
        return bare;
    }

    private static String random(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
