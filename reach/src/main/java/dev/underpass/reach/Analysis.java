package dev.underpass.reach;

import java.util.List;

/**
 * The answer: whether the flow gets through both ways, the forward and return hops of the one candidate path the
 * analyzer followed, and every blocker on it (not only the first: a blocked hop is noted and the walk goes on as if
 * it had been fixed, the "blocked path" of AWS's Reachability Analyzer, so one answer lists every change needed).
 */
public record Analysis(Query query, boolean reachable, String sourceId, String destinationId, List<Hop> forward,
        List<Hop> returnPath, List<Blocker> blockers, PolicyVerdict policy) {
    public Analysis {
        forward = List.copyOf(forward);
        returnPath = List.copyOf(returnPath);
        blockers = List.copyOf(blockers);
    }

    /** An answer about the network only. */
    public Analysis(Query query, boolean reachable, String sourceId, String destinationId, List<Hop> forward,
            List<Hop> returnPath, List<Blocker> blockers) {
        this(query, reachable, sourceId, destinationId, forward, returnPath, blockers, null);
    }

    /**
     * The policy layer's answer when the query carries a request: the engine's outcome ({@code Allowed},
     * {@code ImplicitlyDenied}, {@code ExplicitlyDenied}), what decided a refusal in the form the service
     * endpoints' decision log uses ({@code resource[0].Sid}, {@code scp:p-….Sid}, or the layer), and the VPC
     * endpoint whose policy applied (null when none).
     */
    public record PolicyVerdict(String decision, String blocking, String endpoint) {}
}
