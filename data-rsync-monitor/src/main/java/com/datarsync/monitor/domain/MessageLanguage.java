package com.datarsync.monitor.domain;

import java.util.Locale;

/** The languages alert messages are written in. */
public enum MessageLanguage {
    ZH_CN("zh-CN"),
    EN("en");

    private final String tag;

    MessageLanguage(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** {@code zh-CN} (or {@code zh}) and {@code en}; anything else is refused. */
    public static MessageLanguage of(String tag) {
        String t = tag == null ? "" : tag.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "zh-cn", "zh" -> ZH_CN;
            case "en", "en-us", "en-gb" -> EN;
            default -> throw new IllegalArgumentException("language '" + tag + "' is not zh-CN or en");
        };
    }
}
