package com.datarsync.auth.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a new password must be: 12 to 128 characters, three of the four classes (lower case,
 * upper case, digit, other), without the username, and not one character repeated. Length
 * matters most (NIST SP 800-63B); the class rule keeps the obvious "aaaaaaaaaaaa" out.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private PasswordPolicy() {
    }

    /** What is wrong with the password, in words a user can act on; empty when it is acceptable. */
    public static List<String> violations(String username, String password) {
        List<String> wrong = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            return List.of("a password is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            wrong.add("at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            wrong.add("at most " + MAX_LENGTH + " characters");
        }
        int classes = 0;
        classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        if (classes < 3) {
            wrong.add("three of: lower case, upper case, digits, other characters");
        }
        if (password.codePoints().distinct().count() == 1) {
            wrong.add("not one character repeated");
        }
        if (username != null && username.length() >= 3
                && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            wrong.add("must not contain the username");
        }
        return wrong;
    }
}
