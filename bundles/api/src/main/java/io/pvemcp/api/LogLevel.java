package io.pvemcp.api;

/** Log levels of MCP {@code notifications/message}, from the least to the most severe (RFC 5424). */
public enum LogLevel {
    DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY
}
