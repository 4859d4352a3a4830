package dev.underpass.aws.ec2;

import dev.underpass.model.Regions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ec2.model.AccountAttribute;
import software.amazon.awssdk.services.ec2.model.AccountAttributeValue;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.DescribeAccountAttributesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeAccountAttributesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeAvailabilityZonesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeAvailabilityZonesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Region;

/** DescribeRegions, DescribeAvailabilityZones and DescribeAccountAttributes. */
final class RegionHandlers {
    private static final List<String> ATTRIBUTES = List.of("supported-platforms", "default-vpc", "max-instances",
            "vpc-max-security-groups-per-interface", "max-elastic-ips", "vpc-max-elastic-ips");

    void register(Ec2Registry api) {
        api.read("DescribeRegions", DescribeRegionsRequest::builder, this::describeRegions);
        api.read("DescribeAvailabilityZones", DescribeAvailabilityZonesRequest::builder, this::describeZones);
        api.read("DescribeAccountAttributes", DescribeAccountAttributesRequest::builder, this::describeAttributes);
    }

    private DescribeRegionsResponse describeRegions(DescribeRegionsRequest req, Ec2Api.ReadContext ctx) {
        List<Region> out = new ArrayList<>();
        for (Regions.Region r : Regions.all()) {
            if (!req.regionNames().isEmpty() && !req.regionNames().contains(r.name())) {
                continue;
            }
            String optIn = r.optIn() ? "opted-in" : "opt-in-not-required";
            if (!matches(req.filters(), "region-name", r.name()) || !matches(req.filters(), "endpoint", r.endpoint())
                    || !matches(req.filters(), "opt-in-status", optIn)) {
                continue;
            }
            out.add(Region.builder().regionName(r.name()).endpoint(r.endpoint()).optInStatus(optIn).build());
        }
        for (String name : req.regionNames()) {
            if (!Regions.exists(name)) {
                throw dev.underpass.model.ErrorCode.INVALID_PARAMETER_VALUE.format("Invalid region: %s", name);
            }
        }
        // Every region is enabled in underpass, so AllRegions changes nothing.
        return DescribeRegionsResponse.builder().regions(out).build();
    }

    private DescribeAvailabilityZonesResponse describeZones(DescribeAvailabilityZonesRequest req,
            Ec2Api.ReadContext ctx) {
        String region = ctx.caller().region();
        List<AvailabilityZone> out = new ArrayList<>();
        for (Regions.Zone z : ctx.world().azMapping().zones(region, ctx.caller().accountId())) {
            boolean named = req.zoneNames().isEmpty() && req.zoneIds().isEmpty()
                    || req.zoneNames().contains(z.name()) || req.zoneIds().contains(z.zoneId());
            if (!named) {
                continue;
            }
            Predicate<String[]> f = kv -> matches(req.filters(), kv[0], kv[1]);
            if (!f.test(new String[] {"zone-name", z.name()}) || !f.test(new String[] {"zone-id", z.zoneId()})
                    || !f.test(new String[] {"region-name", region}) || !f.test(new String[] {"state", "available"})
                    || !f.test(new String[] {"zone-type", "availability-zone"})
                    || !f.test(new String[] {"group-name", region})
                    || !f.test(new String[] {"opt-in-status", "opt-in-not-required"})) {
                continue;
            }
            out.add(AvailabilityZone.builder().state("available").optInStatus("opt-in-not-required")
                    .regionName(region).zoneName(z.name()).zoneId(z.zoneId()).groupName(region)
                    .networkBorderGroup(region).zoneType("availability-zone").messages(List.of())
                    .groupLongName(region).build());
        }
        for (String n : req.zoneNames()) {
            if (Regions.zone(region, n).isEmpty()) {
                throw dev.underpass.model.ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The zone '%s' does not exist.", n);
            }
        }
        for (String n : req.zoneIds()) {
            if (Regions.zone(region, n).isEmpty()) {
                throw dev.underpass.model.ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The zone ID '%s' does not exist.", n);
            }
        }
        return DescribeAvailabilityZonesResponse.builder().availabilityZones(out).build();
    }

    private DescribeAccountAttributesResponse describeAttributes(DescribeAccountAttributesRequest req,
            Ec2Api.ReadContext ctx) {
        List<String> names = req.attributeNamesAsStrings().isEmpty() ? ATTRIBUTES : req.attributeNamesAsStrings();
        List<AccountAttribute> out = new ArrayList<>();
        for (String name : names) {
            String value = switch (name) {
                case "supported-platforms" -> "VPC";
                case "default-vpc" -> dev.underpass.model.ec2.DefaultVpcs.find(ctx.world(), ctx.caller())
                        .map(dev.underpass.model.ec2.Vpc::id).orElse("none");
                case "max-instances" -> "20";
                case "vpc-max-security-groups-per-interface" -> "5";
                case "max-elastic-ips", "vpc-max-elastic-ips" -> "5";
                default -> throw dev.underpass.model.ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Value (%s) for parameter attributeName is invalid.", name);
            };
            out.add(AccountAttribute.builder().attributeName(name)
                    .attributeValues(AccountAttributeValue.builder().attributeValue(value).build()).build());
        }
        return DescribeAccountAttributesResponse.builder().accountAttributes(out).build();
    }

    private static boolean matches(List<Filter> filters, String name, String value) {
        FilterSpec.requireNames(filters);
        for (Filter f : filters) {
            if (f.name().equals(name) && f.values().stream().noneMatch(v -> FilterSpec.wildcard(v).matcher(value)
                    .matches())) {
                return false;
            }
        }
        return true;
    }
}
