package dev.underpass.policy;

import java.util.List;
import java.util.Objects;

/**
 * A parsed policy: the abstract syntax of one JSON policy document, with every pattern already compiled.
 *
 * @param version the language version ({@link PolicyVersion#UNSPECIFIED} when absent)
 * @param id the {@code Id}, or null
 * @param statements the statements in document order (a single statement object becomes a list of one)
 */
public record Policy(PolicyVersion version, String id, List<Statement> statements) {
    public Policy {
        Objects.requireNonNull(version, "version");
        statements = List.copyOf(statements);
    }

    /** The policy AWS attaches to a VPC endpoint that is created without one: everyone may do everything. */
    public static final String DEFAULT_VPC_ENDPOINT_POLICY = """
            {"Version":"2008-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":"*","Action":"*",\
            "Resource":"*"}]}""";
}
