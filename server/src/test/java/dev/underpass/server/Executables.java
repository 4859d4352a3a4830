package dev.underpass.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Finding an external tool a smoke test drives (the AWS CLI, Terraform) by asking each candidate for its version. */
final class Executables {
    private Executables() {}

    /**
     * The first of {@code candidates} (nulls skipped) that runs with {@code versionArg} within a minute and prints
     * what {@code accepts}; null when none does.
     */
    static String first(String versionArg, Predicate<String> accepts, String... candidates)
            throws InterruptedException {
        for (String candidate : candidates) {
            if (candidate == null) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(candidate, versionArg).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor(60, TimeUnit.SECONDS) && accepts.test(out)) {
                    return candidate;
                }
            } catch (java.io.IOException notThere) {
                // try the next one
            }
        }
        return null;
    }
}
