package dev.underpass.model.sts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one parser of IAM principal ARNs, and the rules built on it ({@link Principals}). */
class PrincipalTest {
    @Test
    void parse_readsTheFourKindsAndGivesBackTheArn() {
        assertThat(Principal.parse("arn:aws:iam::111122223333:root")).contains(new Principal.Root("111122223333"));
        assertThat(Principal.parse("arn:aws:iam::111122223333:user/alice"))
                .contains(new Principal.User("111122223333", "", "alice"));
        assertThat(Principal.parse("arn:aws:iam::111122223333:role/service-role/app"))
                .contains(new Principal.Role("111122223333", "service-role/", "app"));
        assertThat(Principal.parse("arn:aws:sts::111122223333:assumed-role/app/s1"))
                .contains(new Principal.AssumedRole("111122223333", "app", "s1"));
        for (String arn : new String[] {"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/a/b/c",
            "arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/session"}) {
            assertThat(Principal.parse(arn).orElseThrow().arn()).isEqualTo(arn);
        }
    }

    @Test
    void parse_refusesWhatIsNoIamPrincipal() {
        assertThat(Principal.parse(null)).isEmpty();
        assertThat(Principal.parse("*")).isEmpty();
        assertThat(Principal.parse("arn:aws:iam::1111:root")).isEmpty();
        assertThat(Principal.parse("arn:aws:iam::111122223333:group/devs")).isEmpty();
        assertThat(Principal.parse("arn:aws:iam::111122223333:user/")).isEmpty();
        assertThat(Principal.parse("arn:aws:sts::111122223333:assumed-role/app/s")).isEmpty();
        assertThat(Principal.parse("arn:aws-cn:iam::111122223333:root")).isEmpty();
        assertThat(Principal.parse("ec2.amazonaws.com")).isEmpty();
    }

    @Test
    void covers_matchesAccountsUsersAndRolesSessions() {
        String session = "arn:aws:sts::111122223333:assumed-role/app/s1";
        assertThat(Principals.covers("*", "999999999999", "x")).isTrue();
        assertThat(Principals.covers("arn:aws:iam::111122223333:root", "111122223333", session)).isTrue();
        assertThat(Principals.covers("arn:aws:iam::111122223333:root", "222233334444", session)).isFalse();
        assertThat(Principals.covers("arn:aws:iam::111122223333:role/app", "111122223333", session)).isTrue();
        assertThat(Principals.covers("arn:aws:iam::111122223333:role/other", "111122223333", session)).isFalse();
        assertThat(Principals.covers("arn:aws:iam::111122223333:user/alice", "111122223333",
                "arn:aws:iam::111122223333:user/team/alice")).isTrue();
        assertThat(Principals.covers("arn:aws:iam::111122223333:user/alice", "111122223333", session)).isFalse();
        assertThat(Principals.covers(session, "111122223333", session)).isFalse();
    }

    @Test
    void userId_isTheAccountForRoot_anAidaIdForUsers_andRoleIdWithSessionForSessions() {
        assertThat(Principals.userId("arn:aws:iam::111122223333:root")).isEqualTo("111122223333");
        assertThat(Principals.userId("arn:aws:iam::111122223333:user/alice"))
                .isEqualTo(Principals.userIdOfUser("111122223333", "alice")).matches("AIDA[A-Z2-7]{17}");
        assertThat(Principals.userId("arn:aws:sts::111122223333:assumed-role/app/s1"))
                .isEqualTo(Principals.roleId("111122223333", "app") + ":s1");
        String role = "arn:aws:iam::111122223333:role/app";
        assertThat(Principals.userId(role)).isEqualTo(role);
    }
}
