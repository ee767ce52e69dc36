package com.datarsync.auth.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    @Test
    void acceptsALongPasswordOfThreeClasses() {
        assertThat(PasswordPolicy.violations("alice", "correct Horse battery")).isEmpty();
        assertThat(PasswordPolicy.violations("alice", "Tr0ub4dor&3xyz")).isEmpty();
    }

    @Test
    void refusesShortPasswordsEvenOfEveryClass() {
        assertThat(PasswordPolicy.violations("alice", "Ab1-Ab1-Ab1")).containsExactly("at least 12 characters");
    }

    @Test
    void refusesTooFewClassesRepeatsAndTheUsername() {
        assertThat(PasswordPolicy.violations("alice", "onlylowercaseletters"))
                .containsExactly("three of: lower case, upper case, digits, other characters");
        assertThat(PasswordPolicy.violations("bob", "############"))
                .contains("not one character repeated");
        assertThat(PasswordPolicy.violations("alice", "My-ALICE-password-1"))
                .containsExactly("must not contain the username");
    }

    @Test
    void refusesMissingAndOverlongPasswords() {
        assertThat(PasswordPolicy.violations("alice", null)).containsExactly("a password is required");
        assertThat(PasswordPolicy.violations("alice", "Aa1-".repeat(33))).containsExactly("at most 128 characters");
    }
}
