package dev.cwom.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensTests {

    @Test
    void findsATokenByItsHashAndKeepsOnlyTheHash() {
        String token = ApiTokens.generate();
        ApiToken configured = new ApiToken("worker", ApiTokens.sha256Hex(token), Set.of(Scopes.BLOBS_WRITE));
        ApiTokens tokens = new ApiTokens(List.of(configured));

        assertThat(tokens.find(token)).contains(configured);
        assertThat(tokens.find(token + "x")).isEmpty();
        assertThat(tokens.find("")).isEmpty();
        assertThat(configured.toString()).doesNotContain(token);
    }

    @Test
    void hashesAsSha256sumDoes() {
        // printf %s abc | sha256sum
        assertThat(ApiTokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void generatesLongRandomPrefixedTokens() {
        String one = ApiTokens.generate();

        assertThat(one).startsWith("cwom_").hasSizeGreaterThan(40).isNotEqualTo(ApiTokens.generate());
    }

    @Test
    void refusesATokenConfiguredInPlainText() {
        assertThatThrownBy(() -> new ApiToken("demo", "cwom_not-a-hash", Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256sum")
                .hasMessageNotContaining("cwom_not-a-hash");
    }

    @Test
    void refusesTwoPrincipalsSharingOneToken() {
        String hash = ApiTokens.sha256Hex("same");

        assertThatThrownBy(() -> new ApiTokens(List.of(new ApiToken("a", hash, Set.of()),
                new ApiToken("b", hash, Set.of())))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("of its own");
    }
}
