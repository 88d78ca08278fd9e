package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.serde.SubjectNameStrategy.RecordNameStrategy;
import dev.cwom.serde.SubjectNameStrategy.TopicNameStrategy;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTests {

    @Test
    void defaultsAsConfluentDoes() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "http://a:8081, http://b:8081"));

        assertThat(config.registryUrls()).containsExactly("http://a:8081", "http://b:8081");
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.valueSubjectStrategy()).isInstanceOf(TopicNameStrategy.class);
        assertThat(config.subjectStrategy(true).subjectName("t", true, null)).isEqualTo("t-key");
        assertThat(config.subjectStrategy(false).subjectName("t", false, null)).isEqualTo("t-value");
    }

    @Test
    void acceptsConfluentStrategyClassNames() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "mock://x",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy",
                "key.subject.name.strategy", RecordNameStrategy.class));

        assertThat(config.valueSubjectStrategy()).isInstanceOf(RecordNameStrategy.class);
        assertThat(config.keySubjectStrategy()).isInstanceOf(RecordNameStrategy.class);
    }

    @Test
    void rejectsAMissingUrlAndUnknownStrategyNamingTheKey() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", "mock://x",
                "value.subject.name.strategy", "NoSuchStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy");
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", "localhost:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http://");
    }

    @Test
    void usesUserInfoOnlyWithItsSourceAndNeverPrintsIt() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", "http://a",
                "basic.auth.user.info", "me:secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source=USER_INFO");

        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "http://u:urlsecret@a",
                "basic.auth.user.info", "me:secret", "basic.auth.credentials.source", "USER_INFO"));

        assertThat(config.basicAuthUserInfo()).isEqualTo("me:secret");
        assertThat(config.toString()).doesNotContain("secret");
    }
}
