package com.datarsync.monitor.domain;

/** How urgent an alert is (the architecture document's three levels); each has its receivers. */
public enum AlertSeverity {
    CRITICAL("严重", "Critical"),
    WARNING("警告", "Warning"),
    INFO("提示", "Info");

    private final String zh;
    private final String en;

    AlertSeverity(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String label(MessageLanguage language) {
        return language == MessageLanguage.ZH_CN ? zh : en;
    }
}
