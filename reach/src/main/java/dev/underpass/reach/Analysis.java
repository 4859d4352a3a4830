package dev.underpass.reach;

import java.util.List;

/**
 * The answer: whether the flow gets through both ways, the forward and return hops of the one candidate path the
 * analyzer followed, and every blocker on it (not only the first: a blocked hop is noted and the walk goes on as if
 * it had been fixed, the "blocked path" of AWS's Reachability Analyzer, so one answer lists every change needed).
 */
public record Analysis(Query query, boolean reachable, String sourceId, String destinationId, List<Hop> forward,
        List<Hop> returnPath, List<Blocker> blockers) {
    public Analysis {
        forward = List.copyOf(forward);
        returnPath = List.copyOf(returnPath);
        blockers = List.copyOf(blockers);
    }
}
