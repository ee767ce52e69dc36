package com.datarsync.auth.web;

import com.datarsync.auth.service.UserAccounts;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the monitor asks whom an alert to a role reaches: the enabled users holding the role,
 * with their e-mail address and phone number. Internal credential only (the suite's services).
 */
@RestController
public class InternalContactsController {

    private final UserAccounts users;

    public InternalContactsController(UserAccounts users) {
        this.users = users;
    }

    /** 404 for an unknown role; users without an e-mail address or a phone number are left out. */
    @GetMapping("/internal/roles/{code}/contacts")
    public List<UserAccounts.Contact> contacts(@PathVariable String code) {
        return users.contactsOf(code);
    }
}
