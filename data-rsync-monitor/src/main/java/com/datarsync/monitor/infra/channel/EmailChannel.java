package com.datarsync.monitor.infra.channel;

import com.datarsync.common.net.OutboundAddressPolicy;
import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertTemplates;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * E-mail over SMTP. Settings: host, port, security ({@code starttls} by default and then
 * required, {@code ssl} for SMTPS, or {@code none} only towards this host), from, to
 * (comma-separated), and optionally username and {@code trust} (hosts whose own certificate is
 * trusted without a CA or a matching name, for a relay with a self-made one; otherwise the
 * certificate must chain to a CA and name the host); the password is the channel's
 * secret. The answer recorded is the server's last reply ({@code 250 …}).
 */
public final class EmailChannel implements AlertChannel {

    public static final String KIND = "email";
    private final OutboundAddressPolicy policy;
    private final PolicySocketFactory sockets;

    public EmailChannel(OutboundAddressPolicy policy) {
        this.policy = policy;
        this.sockets = new PolicySocketFactory(policy);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(ChannelConfig config) {
        String host = config.required("host");
        int port = port(config);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("settings.port is 1 to 65535");
        }
        String security = security(config);
        if ("none".equals(security) && !RobotHttp.loopback(host)) {
            throw new IllegalArgumentException("settings.security none is only for a relay on this host");
        }
        String refusal = policy.refusalOfHost(host);
        if (refusal != null) {
            throw new IllegalArgumentException("settings.host: calls to " + host + " are refused: " + refusal);
        }
        try {
            InternetAddress.parse(config.required("to"), true);
            new InternetAddress(config.required("from"), true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("settings.from / settings.to are not e-mail addresses");
        }
        if (!config.optional("username", "").isEmpty()) {
            config.requiredSecret();
        }
    }

    @Override
    public Delivery send(ChannelConfig config, AlertMessage message) throws Exception {
        validate(config);
        String security = security(config);
        String protocol = "ssl".equals(security) ? "smtps" : "smtp";
        Properties p = new Properties();
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", config.required("host"));
        p.put("mail." + protocol + ".port", Integer.toString(port(config)));
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "15000");
        p.put("mail." + protocol + ".writetimeout", "15000");
        // The policy again on the address each connection resolves to (TLS is layered on this socket).
        p.put("mail." + protocol + ".socketFactory", sockets);
        p.put("mail." + protocol + ".socketFactory.fallback", "false");
        if ("starttls".equals(security)) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (!"none".equals(security)) {
            String trust = config.optional("trust", "");
            if (trust.isEmpty()) {
                p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            } else {
                // The operator vouches for these hosts' own certificates (no CA, maybe no matching name).
                p.put("mail." + protocol + ".ssl.trust", trust.replace(',', ' '));
                p.put("mail." + protocol + ".ssl.checkserveridentity", "false");
            }
        }
        String username = config.optional("username", "");
        p.put("mail." + protocol + ".auth", Boolean.toString(!username.isEmpty()));
        Session session = Session.getInstance(p);
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(config.required("from")));
        mail.setRecipients(Message.RecipientType.TO, InternetAddress.parse(config.required("to")));
        mail.setSubject(AlertTemplates.title(message, config.language()), StandardCharsets.UTF_8.name());
        mail.setText(AlertTemplates.text(message, config.language()), StandardCharsets.UTF_8.name());
        mail.setSentDate(Date.from(message.at()));
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(config.required("host"), port(config), username.isEmpty() ? null : username,
                    username.isEmpty() ? null : config.requiredSecret());
            transport.sendMessage(mail, mail.getAllRecipients());
            String reply = transport instanceof SMTPTransport smtp ? smtp.getLastServerResponse() : "sent";
            return Delivery.of(true, reply == null ? "sent" : reply.trim());
        } catch (AuthenticationFailedException | SendFailedException refused) {
            // The server answered and said no: a refusal, not an outage.
            return Delivery.of(false, "refused by the server: " + refused.getMessage());
        }
    }

    private static int port(ChannelConfig config) {
        try {
            return Integer.parseInt(config.optional("port", "ssl".equals(security(config)) ? "465" : "587"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("settings.port is a number");
        }
    }

    private static String security(ChannelConfig config) {
        String security = config.optional("security", "starttls");
        if (!security.equals("starttls") && !security.equals("ssl") && !security.equals("none")) {
            throw new IllegalArgumentException("settings.security is starttls, ssl or none");
        }
        return security;
    }
}
