package dev.underpass.model.elb;

import java.util.Map;

/**
 * The Route 53 hosted zone ids of load balancer DNS names, per Region and kind (AWS's published table): Application
 * (and Classic) Load Balancers have one set, Network Load Balancers another. A Region missing from the table gets a
 * stable made-up id, different for the two kinds.
 */
public final class HostedZones {
    private record Ids(String application, String network) {}

    private static final Map<String, Ids> BY_REGION = Map.ofEntries(
            Map.entry("us-east-1", new Ids("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI")),
            Map.entry("us-east-2", new Ids("Z3AADJGX6KTTL2", "ZLMOA37VPKANP")),
            Map.entry("us-west-1", new Ids("Z368ELLRRE2KJ0", "Z24FKFUX50B4VW")),
            Map.entry("us-west-2", new Ids("Z1H1FL5HABSF5", "Z18D5FSROUN65G")),
            Map.entry("ca-central-1", new Ids("ZQSVJUPU6J1EY", "Z2EPGBW3API2WT")),
            Map.entry("eu-central-1", new Ids("Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90")),
            Map.entry("eu-west-1", new Ids("Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F")),
            Map.entry("eu-west-2", new Ids("ZHURV8PSTC4K8", "ZD4D7Y8KGAS4G")),
            Map.entry("eu-west-3", new Ids("Z3Q77PNBQS71R4", "Z1CMS0P5QUZ6D5")),
            Map.entry("eu-north-1", new Ids("Z23TAZ7KSP5LF", "Z1UDT6IFJ4EJM")),
            Map.entry("ap-south-1", new Ids("ZP97RAFLXTNZK", "ZVDDRBQ08TROA")),
            Map.entry("ap-northeast-1", new Ids("Z14GRHDCWA56QT", "Z31USIVHYNEOWT")),
            Map.entry("ap-northeast-2", new Ids("ZWKZPGTI48KDX", "ZIBE1TIR4HY56")),
            Map.entry("ap-northeast-3", new Ids("Z5LXEXXYW11ES", "Z1GWIQ4HH19I5X")),
            Map.entry("ap-southeast-1", new Ids("Z1LMS91P8CMLE5", "ZKVM4W9LS7TM")),
            Map.entry("ap-southeast-2", new Ids("Z1GM3OXH4ZPM65", "ZCT6FZBF4DROD")),
            Map.entry("sa-east-1", new Ids("Z2P70J7HTTTPLU", "ZTK26PT1VY4CU")));

    private HostedZones() {}

    /** The zone of a load balancer's DNS name: by its type, application or otherwise (network, gateway). */
    public static String of(LoadBalancer lb) {
        return lb.isApplication() ? application(lb.region()) : network(lb.region());
    }

    public static String application(String region) {
        Ids ids = BY_REGION.get(region);
        return ids != null ? ids.application() : madeUp("alb" + region);
    }

    public static String network(String region) {
        Ids ids = BY_REGION.get(region);
        return ids != null ? ids.network() : madeUp(region);
    }

    private static String madeUp(String seed) {
        return "Z" + Integer.toHexString(seed.hashCode()).toUpperCase();
    }
}
