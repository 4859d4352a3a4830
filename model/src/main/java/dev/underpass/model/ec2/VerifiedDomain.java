package dev.underpass.model.ec2;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * A domain that underpass treats as proven for endpoint-service private DNS names. AWS checks a TXT record in public
 * DNS, which an emulator cannot; instead {@code POST /_underpass/private-dns/verify} records the domain here, and
 * StartVpcEndpointServicePrivateDnsVerification (or creating a service with that name) then finds it verified. The
 * owner is the account that asked for it, so a reset of that account forgets it. An unsigned call proves the domain
 * for every account's services; a SigV4-signed one for its signer's services only ({@link #idFor(String, String)}).
 */
public record VerifiedDomain(String id, String ownerId, String region, Instant verifiedAt) implements UntaggedResource {
    /**
     * The record's id for a domain proven for every account's services: names are case-insensitive, and a trailing
     * dot means the same name.
     */
    public static String idFor(String domain) {
        return "domain/" + normalised(domain);
    }

    /** The record's id for a domain proven for the services of {@code account} only (a signed control call). */
    public static String idFor(String account, String domain) {
        return "domain/" + account + "/" + normalised(domain);
    }

    private static String normalised(String domain) {
        String d = domain.toLowerCase(java.util.Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    @Override
    public String resourceType() {
        return "verified-domain";
    }
}
