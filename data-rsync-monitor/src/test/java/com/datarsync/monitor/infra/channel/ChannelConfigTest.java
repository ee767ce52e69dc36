package com.datarsync.monitor.infra.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.monitor.domain.MessageLanguage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Role receivers join a channel's own recipients, where the kind has recipients. */
class ChannelConfigTest {

    @Test
    void anEmailChannelSendsAlsoToTheRolesAddressesEachOnce() {
        ChannelConfig mail = new ChannelConfig("mail", EmailChannel.KIND,
                Map.of("host", "smtp.example.com", "to", "ops@example.com, lead@example.com"), "pw", MessageLanguage.EN);

        ChannelConfig withRoles = mail.withRecipients(List.of("ann@example.com", "lead@example.com", " "));

        assertThat(withRoles.settings().get("to")).isEqualTo("ops@example.com,lead@example.com,ann@example.com");
        assertThat(withRoles.settings().get("host")).isEqualTo("smtp.example.com");
        assertThat(withRoles.secret()).isEqualTo("pw");
        assertThat(mail.settings().get("to")).as("the stored configuration is left alone")
                .isEqualTo("ops@example.com, lead@example.com");
    }

    @Test
    void anSmsChannelSendsAlsoToTheRolesPhonesAndRobotsAreUnchanged() {
        ChannelConfig sms = new ChannelConfig("sms", AliyunSmsChannel.KIND, Map.of("phoneNumbers", "13800000000"), "s",
                MessageLanguage.ZH_CN);
        assertThat(sms.withRecipients(List.of("+8613900000000")).settings().get("phoneNumbers"))
                .isEqualTo("13800000000,+8613900000000");

        ChannelConfig robot = new ChannelConfig("ding", "dingtalk", Map.of("webhook", "https://example.com"), "s", null);
        assertThat(robot.withRecipients(List.of("ann@example.com"))).isSameAs(robot);
        assertThat(sms.withRecipients(List.of())).isSameAs(sms);
        assertThat(ChannelConfig.recipientSetting("webhook")).isEmpty();
    }
}
