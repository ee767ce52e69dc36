package com.datarsync.monitor.domain;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The text of an alert message in Chinese or English: a title and a body, the body in Markdown
 * for the robots (DingTalk, WeCom) and as plain lines for e-mail and SMS.
 */
public final class AlertTemplates {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    private AlertTemplates() {
    }

    public static String title(AlertMessage m, MessageLanguage language) {
        boolean zh = language == MessageLanguage.ZH_CN;
        String state = m.resolved() ? (zh ? "已恢复" : "RESOLVED") : (zh ? "告警" : "FIRING");
        return "[Data Rsync] [" + m.severity().label(language) + "] [" + state + "] " + m.rule()
                + (m.alerts().size() > 1 ? (zh ? "（" + m.alerts().size() + " 项）" : " (" + m.alerts().size() + ")") : "");
    }

    /** Plain lines: the title, then one line per alert, then the time. */
    public static String text(AlertMessage m, MessageLanguage language) {
        StringBuilder out = new StringBuilder(title(m, language)).append('\n');
        for (AlertMessage.Alert a : m.alerts()) {
            out.append("- ").append(line(a, language)).append('\n');
        }
        return out.append(timeLine(m, language)).toString();
    }

    /** Markdown: a heading, a list of the alerts, the time. */
    public static String markdown(AlertMessage m, MessageLanguage language) {
        StringBuilder out = new StringBuilder("### ").append(title(m, language)).append("\n\n");
        for (AlertMessage.Alert a : m.alerts()) {
            out.append("- ").append(line(a, language)).append('\n');
        }
        return out.append('\n').append(timeLine(m, language)).toString();
    }

    private static String line(AlertMessage.Alert a, MessageLanguage language) {
        boolean zh = language == MessageLanguage.ZH_CN;
        return (zh ? "对象 " : "") + a.subject() + (zh ? "：当前值 " : ": value ") + a.value()
                + (a.detail() == null || a.detail().isBlank() ? "" : (zh ? "；" : "; ") + a.detail());
    }

    private static String timeLine(AlertMessage m, MessageLanguage language) {
        return (language == MessageLanguage.ZH_CN ? "时间：" : "At: ") + TIME.format(m.at());
    }
}
