package dev.underpass.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void star_matchesAnyRunIncludingNone() {
        Glob g = Glob.wildcard("arn:aws:s3:::bucket/*", false);
        assertThat(g.matches("arn:aws:s3:::bucket/")).isTrue();
        assertThat(g.matches("arn:aws:s3:::bucket/a/b:c")).isTrue();
        assertThat(g.matches("arn:aws:s3:::bucket")).isFalse();
    }

    @Test
    void questionMark_matchesExactlyOneCharacter() {
        Glob g = Glob.wildcard("a?c", false);
        assertThat(g.matches("abc")).isTrue();
        assertThat(g.matches("ac")).isFalse();
        assertThat(g.matches("abbc")).isFalse();
    }

    @Test
    void generalPattern_backtracksOverSeveralStars() {
        Glob g = Glob.wildcard("*a*b?c*", false);
        assertThat(g.matches("xxaxxbxc")).isTrue();
        assertThat(g.matches("aabc")).isFalse();
        assertThat(g.matches("ab-c")).isTrue();
        assertThat(g.matches("abc")).isFalse();
    }

    @Test
    void suffixAndPrefixShapes_matchOnlyTheirEnds() {
        assertThat(Glob.wildcard("*Object", false).matches("s3:GetObject")).isTrue();
        assertThat(Glob.wildcard("*Object", false).matches("s3:GetObjects")).isFalse();
        assertThat(Glob.wildcard("s3:Get*", false).matches("s3:GetObject")).isTrue();
        assertThat(Glob.wildcard("s3:Get*", false).matches("s3:PutObject")).isFalse();
    }

    @Test
    void ignoreCase_appliesToLiteralParts() {
        assertThat(Glob.wildcard("S3:get*", true).matches("s3:GetObject")).isTrue();
        assertThat(Glob.wildcard("S3:get*", false).matches("s3:GetObject")).isFalse();
        assertThat(Glob.wildcard("s3:Get?bject", true).matches("S3:GETOBJECT")).isTrue();
    }

    @Test
    void literal_treatsWildcardCharactersAsThemselves() {
        Glob g = Glob.literal("a*b", false);
        assertThat(g.matches("a*b")).isTrue();
        assertThat(g.matches("axxb")).isFalse();
    }

    @Test
    void region_isMatchedWithoutCopying() {
        Glob g = Glob.wildcard("us-*", false);
        assertThat(g.matches("arn:aws:ec2:us-east-1:1", 12, 21)).isTrue();
        assertThat(g.matches("arn:aws:ec2:eu-west-1:1", 12, 21)).isFalse();
    }
}
