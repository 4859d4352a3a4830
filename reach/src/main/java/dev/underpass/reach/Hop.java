package dev.underpass.reach;

/**
 * One step of a path: the component ({@code eni-…}, {@code sg-…}, {@code acl-…}, {@code rtb-…}, {@code pcx-…},
 * {@code vpce-…}, a load balancer ARN, …), its type, what was checked there and the rule or route that matched
 * ({@code null} when nothing matched, in which case a {@link Blocker} says so).
 */
public record Hop(int sequence, String component, String type, String check, String matched) {}
